package dev.berth.runtime.unpack;

import dev.berth.layer.Entry;
import dev.berth.layer.LayerReadException;
import dev.berth.layer.LayerReader;
import dev.berth.oci.Digest;
import dev.berth.runtime.sys.SystemCallException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Unpacks one layer (read by {@link LayerReader}: tar, gzip or zstd, sniffed; names checked by
 * its entry-path policy) into an empty directory, in the form overlayfs reads as a lower layer: a
 * whiteout becomes a character device 0/0 of the name it deletes, an opaque marker the xattr
 * {@code trusted.overlay.opaque=y} on its directory. Files, directories, symlinks, hard links,
 * device nodes and FIFOs keep their mode (setuid, setgid and sticky bits included; not a symlink's),
 * owner (as root) and mtime. Of the extended attributes in PAX headers, a regular file's
 * {@code security.capability} (as root, after its chown, which clears it) and {@code user.*} on
 * files and directories are set, by name, never on or through a symlink; {@code trusted.*}
 * (overlayfs's own opaque, redirect and metacopy markers among them), {@code security.selinux} and
 * all others are ignored.
 * <p>Confinement: the reader refuses absolute names, {@code ..} and hard links to either; here no
 * entry is written through a symlink, hard links point only at files of the same layer, and no
 * owner, mode or time is ever set through a link or by opening the file, so nothing outside the
 * root changes and a FIFO or device node is never opened ({@link EntryWriter}). A later entry
 * replaces an earlier one of the same name, as tar does: a directory replaced by a symlink (or by
 * anything else) loses its waiting metadata with everything under it, and the layer unpacks;
 * writing through that symlink afterwards is refused.
 * <p>A layer whose uncompressed tar passes {@code maxUnpackedSize} is refused as soon as it does.
 * Every failure is a {@link LayerUnpackException} of one line naming the layer, the entry and why;
 * for what the reader refuses, the words after the layer's digest are the reader's, as the UI
 * shows them. Returns the digest of the uncompressed tar (the layer's diff id) and the unpacked size.
 */
public final class LayerUnpacker {

    /** Generous: the largest images in common use unpack to a few GiB. */
    public static final long DEFAULT_MAX_UNPACKED_SIZE = LayerReader.DEFAULT_MAX_UNPACKED_SIZE;
    /** What sets the limit, as the refusal names it. */
    static final String LIMIT_SETTING = "--max-unpacked-size, BERTH_MAX_UNPACKED_SIZE";

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
        Entry[] at = {null}; // the entry being written or, with after, the last one written; null for none
        boolean[] after = {false};
        try (EntryWriter writer = new EntryWriter(root, chown);
             LayerReader reader = LayerReader.openHashed(layer, maxUnpackedSize, LIMIT_SETTING)) {
            long size = 0;
            for (Entry entry; (entry = reader.next()) != null; ) {
                at[0] = entry;
                after[0] = false;
                size += writer.write(entry, reader.content());
                after[0] = true;
            }
            at[0] = null;
            reader.finish();
            writer.finish(entry -> {
                at[0] = entry;
                after[0] = false;
            });
            return new UnpackedLayer(reader.diffId(), size);
        } catch (LayerReadException e) {
            throw new LayerUnpackException(digest, e);
        } catch (UnsafeLayerException e) {
            throw new LayerUnpackException(digest, where(at[0], after[0]), "refused: " + e.reason(), e);
        } catch (IOException | RuntimeException e) {
            throw new LayerUnpackException(digest, where(at[0], after[0]), reason(e, at[0] != null), e);
        }
    }

    /** "entry NAME", "after entry NAME", or null: made only for a failure. */
    private static String where(Entry entry, boolean after) {
        return entry == null ? null : (after ? "after " : "") + entry.label();
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
