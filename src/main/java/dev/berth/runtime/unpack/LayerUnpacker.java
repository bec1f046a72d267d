package dev.berth.runtime.unpack;

import dev.berth.oci.Digest;
import dev.berth.runtime.sys.SystemCallException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one layer (tar, gzip or zstd, sniffed) into an empty directory, in the form overlayfs
 * reads as a lower layer: a whiteout {@code .wh.NAME} becomes a character device 0/0 named NAME,
 * an opaque marker {@code .wh..wh..opq} the xattr {@code trusted.overlay.opaque=y} on its directory.
 * Files, directories, symlinks, hard links, device nodes and FIFOs keep their mode (not a
 * symlink's), owner (as root) and mtime; extended attributes (file capabilities) are not applied yet.
 * <p>Confinement: names are relative without {@code ..} ({@link EntryPath}), no entry is written
 * through a symlink, hard links point only at files of the same layer, and no owner, mode or time
 * is ever set through a link or by opening the file, so nothing outside the root changes and a
 * FIFO or device node is never opened ({@link EntryWriter}). A later entry replaces an earlier one
 * of the same name, as tar does: a directory replaced by a symlink (or by anything else) loses its
 * waiting metadata with everything under it, and the layer unpacks; writing through that symlink
 * afterwards is refused.
 * <p>A layer whose uncompressed tar passes {@code maxUnpackedSize} is refused as soon as it does.
 * Every failure is a {@link LayerUnpackException} of one line naming the layer, the entry and why.
 * Returns the digest of the uncompressed tar (the layer's diff id) and the unpacked size.
 */
public final class LayerUnpacker {

    /** Generous: the largest images in common use unpack to a few GiB. */
    public static final long DEFAULT_MAX_UNPACKED_SIZE = 64L << 30;

    private final boolean chown;
    private final long maxUnpackedSize;

    /** @param chown whether to give entries their owners (needs root) */
    public LayerUnpacker(boolean chown) {
        this(chown, DEFAULT_MAX_UNPACKED_SIZE);
    }

    /** @param maxUnpackedSize the most bytes of uncompressed tar a layer may have */
    public LayerUnpacker(boolean chown, long maxUnpackedSize) {
        if (maxUnpackedSize <= 0) {
            throw new IllegalArgumentException("the max unpacked size must be positive");
        }
        this.chown = chown;
        this.maxUnpackedSize = maxUnpackedSize;
    }

    /** @param digest the layer's digest, for messages */
    public UnpackedLayer unpack(Digest digest, InputStream layer, Path root) throws IOException {
        MessageDigest sha256 = Digest.Algorithm.SHA256.newMessageDigest();
        String[] where = {null}; // what was being done when it failed: "entry NAME", "after entry NAME", or nothing
        try (EntryWriter writer = new EntryWriter(root, chown)) {
            SizeLimit limited = new SizeLimit(Decompression.open(layer), maxUnpackedSize);
            InputStream tarBytes = new TeeInputStream(limited, new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
            TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes);
            long size = 0;
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                where[0] = entry(entry);
                if (!entry.isDirectory()) {
                    limited.check(entry.getSize());
                }
                size += writer.write(entry, tar);
                where[0] = "after " + where[0];
            }
            where[0] = null;
            tarBytes.transferTo(OutputStream.nullOutputStream());
            writer.finish(entry -> where[0] = entry(entry));
            return new UnpackedLayer(Digest.fromHash(Digest.Algorithm.SHA256, sha256.digest()), size);
        } catch (UnsafeLayerException e) {
            throw new LayerUnpackException(digest, where[0], "refused: " + e.reason(), e);
        } catch (IOException | RuntimeException e) {
            throw new LayerUnpackException(digest, where[0], reason(e, where[0] != null), e);
        }
    }

    private static String entry(TarArchiveEntry entry) {
        return "entry " + (entry.getName().isEmpty() ? "(no name)" : entry.getName());
    }

    private static String reason(Exception e, boolean ofAnEntry) {
        if (e instanceof SystemCallException call && ofAnEntry) {
            return call.call() + ": " + call.reason(); // the path is the entry's, already named
        }
        if (e instanceof EOFException) {
            return "the layer ends in the middle of an entry";
        }
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
