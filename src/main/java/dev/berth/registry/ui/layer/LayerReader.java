package dev.berth.registry.ui.layer;

import com.github.luben.zstd.ZstdInputStream;
import dev.berth.oci.Digest;
import dev.berth.registry.ui.layer.LayerEntry.EntryKind;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the entries of a layer (tar, tar+gzip or tar+zstd, told apart by their magic bytes) as
 * one pass over a stream. File contents stream through a hash and are never kept, so a layer of
 * any size costs a few buffers of memory.
 */
public final class LayerReader {

    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE_MARKER = ".wh..wh..opq";
    private static final int BUFFER = 64 * 1024;

    private LayerReader() {
    }

    /** Thrown when the bytes are not a tar archive in any of the three layer encodings. */
    public static final class NotALayerException extends IOException {
        NotALayerException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Calls {@code sink} with each entry of the layer in archive order; returns how many there were. */
    public static long read(InputStream raw, Consumer<LayerEntry> sink) throws IOException {
        InputStream tar = decompressed(new BufferedInputStream(raw, BUFFER));
        long count = 0;
        try (TarArchiveInputStream in = new TarArchiveInputStream(tar)) {
            TarArchiveEntry entry;
            while ((entry = nextEntry(in)) != null) {
                LayerEntry read = toEntry(entry, entry.isFile() && !entry.isLink() ? hash(in) : null);
                if (read != null) {
                    sink.accept(read);
                    count++;
                }
            }
        }
        return count;
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream in) throws IOException {
        try {
            return in.getNextEntry();
        } catch (IllegalArgumentException e) {
            // commons-compress reports some malformed headers this way.
            throw new NotALayerException("not a tar archive: " + e.getMessage(), e);
        }
    }

    private static InputStream decompressed(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return new BufferedInputStream(new ZstdInputStream(in), BUFFER);
        }
        return in;
    }

    /** Hashes the current entry's content as it streams past. */
    private static String hash(InputStream content) throws IOException {
        MessageDigest sha = Digest.Algorithm.SHA256.newMessageDigest();
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = content.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest(), 0, 8);
    }

    /** The entry as the UI sees it, or null for the archive root itself. */
    static LayerEntry toEntry(TarArchiveEntry e, String contentHash) {
        String path = normalize(e.getName());
        if (path.isEmpty()) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        int mode = e.getMode() & 07777;
        if (name.equals(OPAQUE_MARKER)) {
            return new LayerEntry(dir, EntryKind.OPAQUE, 0, mode, e.getLongUserId(), e.getLongGroupId(), null, null);
        }
        if (name.startsWith(WHITEOUT_PREFIX)) {
            String hidden = name.substring(WHITEOUT_PREFIX.length());
            String target = dir.isEmpty() ? hidden : dir + "/" + hidden;
            return new LayerEntry(target, EntryKind.WHITEOUT, 0, mode, e.getLongUserId(), e.getLongGroupId(), null, null);
        }
        EntryKind kind;
        String link = null;
        long size = 0;
        if (e.isSymbolicLink()) {
            kind = EntryKind.SYMLINK;
            link = e.getLinkName();
        } else if (e.isLink()) {
            kind = EntryKind.HARDLINK;
            link = normalize(e.getLinkName());
        } else if (e.isDirectory()) {
            kind = EntryKind.DIRECTORY;
        } else if (e.isCharacterDevice() || e.isBlockDevice()) {
            kind = EntryKind.DEVICE;
        } else if (e.isFIFO()) {
            kind = EntryKind.FIFO;
        } else {
            kind = EntryKind.FILE;
            size = e.getSize();
        }
        return new LayerEntry(path, kind, size, mode, e.getLongUserId(), e.getLongGroupId(), link,
                kind == EntryKind.FILE ? contentHash : null);
    }

    /** {@code ./usr/bin/}, {@code /usr/bin} and {@code usr//bin} all become {@code usr/bin}. */
    public static String normalize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                int slash = out.lastIndexOf("/");
                out.setLength(Math.max(slash, 0));
                continue;
            }
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }
}
