package dev.berth.runtime.unpack;

import java.util.ArrayList;
import java.util.List;

/**
 * A tar entry name reduced to its components, relative to the layer root. Absolute names and
 * {@code ..} components are refused: nothing a layer names can lie outside its root by name alone.
 * (Symlinks along the way are the other half of confinement; {@link LayerUnpacker} refuses those.)
 */
record EntryPath(List<String> components) {

    EntryPath {
        components = List.copyOf(components);
    }

    static EntryPath parse(String name) {
        if (name == null || name.isEmpty()) {
            throw new UnsafeLayerException("(empty)", "an entry needs a name");
        }
        if (name.startsWith("/")) {
            throw new UnsafeLayerException(name, "absolute names are not allowed");
        }
        if (name.indexOf('\0') >= 0) {
            throw new UnsafeLayerException(name.replace('\0', '?'), "names cannot contain NUL");
        }
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw new UnsafeLayerException(name, ".. climbs out of the layer root");
            }
            out.add(c);
        }
        return new EntryPath(out);
    }

    boolean isRoot() {
        return components.isEmpty();
    }

    String fileName() {
        return components.get(components.size() - 1);
    }

    List<String> parents() {
        return components.subList(0, components.size() - 1);
    }

    @Override
    public String toString() {
        return String.join("/", components);
    }
}
