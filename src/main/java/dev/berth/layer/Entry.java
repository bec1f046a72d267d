package dev.berth.layer;

import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * One entry of a layer as {@link LayerReader} gives it: its name checked by the {@link EntryPath}
 * policy and the OCI whiteouts decoded. A {@link Kind#WHITEOUT} names the path it deletes
 * ({@code etc/.wh.motd} is {@code etc/motd}), an {@link Kind#OPAQUE} marker the directory whose
 * lower contents it hides ({@code var/.wh..wh..opq} is {@code var}); the {@code .wh.} names
 * themselves never appear.
 *
 * @param name           the name as the tar has it, for messages
 * @param path           where the entry goes (or what it deletes or hides)
 * @param mode           permission bits with setuid, setgid and sticky; no file-type bits
 * @param size           the bytes of a regular file's content (what the tar header says; for a sparse
 *                       file, what it unpacks to, holes included)
 * @param linkName       a symlink's target as written (it is not resolved: it may point anywhere)
 * @param hardLinkTarget for a hard link, the path of the entry it links to; else null
 * @param xattrs         the extended attributes its PAX header carries, all of them, unfiltered
 */
public record Entry(String name, EntryPath path, Kind kind, int mode, long uid, long gid, FileTime mtime, long size,
                    String linkName, EntryPath hardLinkTarget, int devMajor, int devMinor,
                    List<Xattr> xattrs) {

    public Entry {
        xattrs = List.copyOf(xattrs);
    }

    /** What an entry is, including the two OCI whiteout forms. */
    public enum Kind {
        FILE, DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO, WHITEOUT, OPAQUE
    }

    /** {@code entry NAME}, in one line: how messages point at it. */
    public String label() {
        return label(name);
    }

    static String label(String name) {
        return "entry " + (name.isEmpty() ? "(no name)" : LayerReadException.oneLine(name));
    }
}
