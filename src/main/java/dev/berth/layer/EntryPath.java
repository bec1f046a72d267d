package dev.berth.layer;

import java.util.ArrayList;
import java.util.List;

/**
 * A tar entry name reduced to its components, relative to the layer root: the one entry-path
 * policy of Berth. {@code ./usr//bin/} is {@code usr/bin}; absolute names, {@code ..} components
 * and NUL are refused, never resolved, so nothing a layer names can lie outside its root by name
 * alone, and the UI lists as a layer exactly what {@code berth run} would unpack. (Symlinks along
 * the way are the other half of confinement, which only the writer can see.)
 */
public record EntryPath(List<String> components) {

    private static final EntryPath ROOT = new EntryPath(List.of());

    public EntryPath {
        components = List.copyOf(components);
    }

    /**
     * @throws IllegalArgumentException with the reason as its message, when the policy refuses the name
     */
    public static EntryPath parse(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an entry needs a name");
        }
        if (name.startsWith("/")) {
            throw new IllegalArgumentException("absolute names are not allowed");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("names cannot contain NUL");
        }
        List<String> out = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw new IllegalArgumentException(".. climbs out of the layer root");
            }
            out.add(c);
        }
        return out.isEmpty() ? ROOT : new EntryPath(out);
    }

    public boolean isRoot() {
        return components.isEmpty();
    }

    /** The last component; the root has none. */
    public String fileName() {
        return components.get(components.size() - 1);
    }

    /** The components of the directory holding this path. */
    public List<String> parents() {
        return components.subList(0, components.size() - 1);
    }

    /** This path with one more component. */
    EntryPath resolve(String component) {
        List<String> out = new ArrayList<>(components.size() + 1);
        out.addAll(components);
        out.add(component);
        return new EntryPath(out);
    }

    /** This path's parent directory; the root for a path of one component. */
    EntryPath parent() {
        return new EntryPath(parents());
    }

    /** {@code usr/bin}; "" for the root. */
    @Override
    public String toString() {
        return String.join("/", components);
    }
}
