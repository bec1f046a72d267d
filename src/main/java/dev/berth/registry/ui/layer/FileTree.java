package dev.berth.registry.ui.layer;

import dev.berth.registry.ui.layer.LayerEntry.EntryKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The file system of an image as its layers are applied one over the other, following the OCI
 * layer rules: a whiteout deletes a path (and all below it) from the layers beneath, an opaque
 * marker hides everything beneath a directory, and any other entry adds or replaces its path.
 */
public final class FileTree {

    /** What a layer did to one path. */
    public enum Change { ADDED, CHANGED, DELETED, OPAQUE }

    private final TreeMap<String, LayerEntry> entries = new TreeMap<>();

    /** Everything in the tree so far, by path. */
    public NavigableMap<String, LayerEntry> entries() {
        return Collections.unmodifiableNavigableMap(entries);
    }

    /**
     * Applies one layer on top of the tree.
     *
     * @return what the layer did to each path it names, in the layer's order; a directory that was
     * already there with the same metadata is left out, since re-listing it changes nothing
     */
    public Map<String, Change> apply(List<LayerEntry> layer) {
        Map<String, Change> changes = new LinkedHashMap<>();
        // Judge every entry against the tree beneath, before this layer's whiteouts touch it.
        for (LayerEntry e : layer) {
            LayerEntry below = entries.get(e.path());
            Change change = switch (e.kind()) {
                case WHITEOUT -> Change.DELETED;
                case OPAQUE -> Change.OPAQUE;
                default -> below == null ? Change.ADDED
                        : e.kind() == EntryKind.DIRECTORY && e.sameAs(below) ? null : Change.CHANGED;
            };
            if (change != null) {
                changes.put(e.path(), change);
            }
        }
        // Whiteouts apply to the layers beneath only, so they go first.
        for (LayerEntry e : layer) {
            if (e.kind() == EntryKind.WHITEOUT) {
                entries.remove(e.path());
                below(entries, e.path()).clear();
            } else if (e.kind() == EntryKind.OPAQUE) {
                below(entries, e.path()).clear();
            }
        }
        for (LayerEntry e : layer) {
            if (!e.kind().isMarker()) {
                entries.put(e.path(), e);
            }
        }
        return changes;
    }

    /** The size a listing shows: a hard link's is its target's. */
    public long sizeOf(LayerEntry e) {
        if (e.kind() == EntryKind.HARDLINK) {
            LayerEntry target = entries.get(e.linkTarget());
            return target == null ? 0 : target.size();
        }
        return e.size();
    }

    /** Everything strictly below {@code dir} ("" is the root). */
    static NavigableMap<String, LayerEntry> below(NavigableMap<String, LayerEntry> map, String dir) {
        // '0' is the character after '/', so [dir/, dir0) holds exactly the paths under dir.
        return dir.isEmpty() ? map : map.subMap(dir + "/", true, dir + "0", false);
    }

    /**
     * One row of a directory listing.
     *
     * @param entry        the entry itself; null for a directory only implied by paths beneath it
     * @param totalSize    a file's size, or the sum of the regular files beneath a directory
     * @param change       what the layer being looked at did to this path, if anything
     * @param changesBelow how many paths beneath a directory the layer touched
     */
    public record Node(String name, String path, LayerEntry entry, boolean directory, long totalSize, Change change,
                       int changesBelow) {
    }

    /**
     * The immediate children of {@code dir} in {@code map}, directories first, then by name;
     * {@code changes} marks what a layer did, and paths it deleted show up as rows of their own.
     */
    public static List<Node> children(NavigableMap<String, LayerEntry> map, String dir, Map<String, Change> changes) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        Map<String, long[]> sizes = new TreeMap<>();
        Map<String, LayerEntry> own = new TreeMap<>();
        for (Map.Entry<String, LayerEntry> e : below(map, dir).entrySet()) {
            String rest = e.getKey().substring(prefix.length());
            int slash = rest.indexOf('/');
            String child = slash < 0 ? rest : rest.substring(0, slash);
            long[] size = sizes.computeIfAbsent(child, k -> new long[1]);
            if (e.getValue().kind() == EntryKind.FILE) {
                size[0] += e.getValue().size();
            }
            if (slash < 0) {
                own.put(child, e.getValue());
            }
        }
        Map<String, int[]> touchedBelow = new TreeMap<>();
        for (Map.Entry<String, Change> c : changes.entrySet()) {
            String path = c.getKey();
            if (!path.startsWith(prefix) || path.length() == prefix.length()) {
                continue;
            }
            String rest = path.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash >= 0) {
                touchedBelow.computeIfAbsent(rest.substring(0, slash), k -> new int[1])[0]++;
            } else if (c.getValue() == Change.DELETED && !sizes.containsKey(rest)) {
                sizes.put(rest, new long[1]); // a deleted path: shown so the deletion can be seen
            }
        }
        List<Node> nodes = new ArrayList<>(sizes.size());
        for (Map.Entry<String, long[]> s : sizes.entrySet()) {
            String name = s.getKey();
            String path = prefix + name;
            LayerEntry entry = own.get(name);
            boolean directory = entry == null ? below(map, path).size() > 0 : entry.kind() == EntryKind.DIRECTORY
                    || entry.kind() == EntryKind.OPAQUE || (entry.kind() == EntryKind.WHITEOUT && below(map, path).size() > 0);
            int[] touched = touchedBelow.get(name);
            nodes.add(new Node(name, path, entry, directory, s.getValue()[0], changes.get(path), touched == null ? 0 : touched[0]));
        }
        nodes.sort((a, b) -> a.directory() != b.directory() ? (a.directory() ? -1 : 1) : a.name().compareTo(b.name()));
        return nodes;
    }

    /** A path that differs between two trees. */
    public record Difference(String path, Change change, LayerEntry before, LayerEntry after) {
    }

    /**
     * How {@code after} differs from {@code before}: paths added, removed ({@link Change#DELETED})
     * or changed; directories count only when they appear or disappear.
     */
    public static List<Difference> diff(FileTree before, FileTree after) {
        List<Difference> out = new ArrayList<>();
        for (Map.Entry<String, LayerEntry> a : after.entries.entrySet()) {
            LayerEntry b = before.entries.get(a.getKey());
            if (b == null) {
                out.add(new Difference(a.getKey(), Change.ADDED, null, a.getValue()));
            } else if (!b.sameAs(a.getValue()) && !(b.kind() == EntryKind.DIRECTORY && a.getValue().kind() == EntryKind.DIRECTORY)) {
                out.add(new Difference(a.getKey(), Change.CHANGED, b, a.getValue()));
            }
        }
        for (Map.Entry<String, LayerEntry> b : before.entries.entrySet()) {
            if (!after.entries.containsKey(b.getKey())) {
                out.add(new Difference(b.getKey(), Change.DELETED, b.getValue(), null));
            }
        }
        out.sort((x, y) -> x.path().compareTo(y.path()));
        return out;
    }
}
