package dev.berth.registry.ui.layer;

/**
 * One entry of a layer as the UI lists it, with its path as the layer reader's entry-path policy
 * gives it ({@code usr/bin/env}: no leading {@code ./}, no trailing {@code /}). A whiteout names
 * the path it deletes, an opaque marker the directory whose lower contents it hides; the
 * {@code .wh.} names never appear.
 *
 * @param size       bytes of a regular file; 0 for everything else
 * @param mode       permission bits with setuid/setgid/sticky (no file-type bits)
 * @param linkTarget a symlink's target, or for a hard link the path it links to; else null
 * @param contentHash the first 64 bits of a regular file's SHA-256, in hex, to tell changed
 *                    contents of the same size apart; null for everything else
 */
public record LayerEntry(String path, EntryKind kind, long size, int mode, long uid, long gid, String linkTarget,
                         String contentHash) {

    /** What a tar entry is, including the two OCI whiteout forms. */
    public enum EntryKind {
        FILE, DIRECTORY, SYMLINK, HARDLINK, DEVICE, FIFO, WHITEOUT, OPAQUE;

        boolean isMarker() {
            return this == WHITEOUT || this == OPAQUE;
        }
    }

    /** The last component of the path: what a directory listing shows. */
    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** The directory holding this entry, "" for the root. */
    public String parent() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** True when two entries describe the same content and metadata (what "changed" compares). */
    boolean sameAs(LayerEntry other) {
        return other != null && kind == other.kind && size == other.size && mode == other.mode && uid == other.uid
                && gid == other.gid && java.util.Objects.equals(linkTarget, other.linkTarget)
                && java.util.Objects.equals(contentHash, other.contentHash);
    }
}
