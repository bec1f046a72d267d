package dev.berth.layer;

import dev.berth.oci.Digest;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import java.util.List;

/**
 * The one reader of image layers, used by the runtime's unpacker and the UI's layer browser: one
 * streaming pass over a tar, tar+gzip or tar+zstd (told apart by their first bytes), giving each
 * entry with its name checked by the {@link EntryPath} policy and its whiteout decoded
 * ({@link Entry}), and its content as a stream. Entries for the root itself and aufs bookkeeping
 * ({@code .wh..wh.plnk} and the like) are not content and are skipped. Extended attributes come
 * from the raw bytes of each entry's PAX header ({@link PaxCapture}, {@link PaxRecords}), not from
 * commons-compress's UTF-8 strings, which lose binary values.
 * <p>What it refuses, it refuses for both: a name the policy refuses, a hard link to such a name or
 * to the root, a whiteout of nothing, {@code .} or {@code ..}, a PAX header of more than 1 MiB or one
 * whose records' lengths lie, and a layer whose uncompressed tar
 * passes the size limit (as soon as it does; an entry whose header announces more than is left
 * before any of it is read; a sparse file counts what it unpacks to, holes included). Every
 * failure that is the layer's is a {@link LayerReadException} of one line that says where and
 * why; a failure of the stream it reads from is thrown as it came.
 * <p>The caller's stream is never closed: {@link #close} frees the decompressor only.
 */
public final class LayerReader implements Closeable {

    /** Generous: the largest images in common use unpack to a few GiB. */
    public static final long DEFAULT_MAX_UNPACKED_SIZE = 64L << 30;

    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";

    private final InputStream decompressed;
    private final SizeLimit limited;
    private final InputStream tarBytes;
    private final MessageDigest tarHash;
    private final PaxCapture tar;
    private final InputStream content = new Content();
    /** The name of the entry a failure would be at or after (null: at none), and which of the two; the words are made on failure only. */
    private String current;
    private boolean after;
    private Digest diffId;

    private LayerReader(InputStream raw, long maxUnpackedSize, String limitSetting, boolean hashed) throws IOException {
        if (maxUnpackedSize <= 0) {
            throw new IllegalArgumentException("the max unpacked size must be positive");
        }
        try {
            decompressed = Decompression.open(raw);
        } catch (Decompression.SourceFailure e) {
            throw e.getCause();
        } catch (IOException e) {
            throw failure(e);
        }
        limited = new SizeLimit(decompressed, maxUnpackedSize, limitSetting);
        tarHash = hashed ? Digest.Algorithm.SHA256.newMessageDigest() : null;
        tarBytes = hashed ? new TeeInputStream(limited, new DigestOutputStream(OutputStream.nullOutputStream(), tarHash)) : limited;
        tar = new PaxCapture(tarBytes);
    }

    /**
     * @param limitSetting what sets {@code maxUnpackedSize}, for the refusal: {@code --max-unpacked-size, BERTH_MAX_UNPACKED_SIZE}
     */
    public static LayerReader open(InputStream raw, long maxUnpackedSize, String limitSetting) throws IOException {
        return new LayerReader(raw, maxUnpackedSize, limitSetting, false);
    }

    /** As {@link #open}, and hashes the uncompressed tar for {@link #diffId}. */
    public static LayerReader openHashed(InputStream raw, long maxUnpackedSize, String limitSetting) throws IOException {
        return new LayerReader(raw, maxUnpackedSize, limitSetting, true);
    }

    /** The next entry, or null at the end of the tar; its content is {@link #content} until the next call. */
    public Entry next() throws IOException {
        after = true;
        try {
            for (TarArchiveEntry header; (header = nextHeader()) != null; ) {
                current = header.getName();
                after = false;
                if (!header.isDirectory()) {
                    long unpacked = header.getRealSize(); // a sparse file's: its holes come out of the tar reader as zeros
                    limited.check(unpacked);
                    limited.countBeyondTheTar(unpacked - header.getSize());
                }
                Entry entry = entry(header, PaxRecords.xattrs(tar.captured()));
                if (entry != null) {
                    return entry;
                }
                after = true;
            }
            current = null;
            return null;
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    private TarArchiveEntry nextHeader() throws IOException {
        tar.clear();
        return tar.getNextEntry();
    }

    /** The current entry's content (nothing for anything but a regular file). */
    public InputStream content() {
        return content;
    }

    /**
     * After the last entry, reads on to the end of the uncompressed stream, so that what follows the
     * tar is counted against the limit and hashed into the diff id, and gzip checks its trailer.
     */
    public void finish() throws IOException {
        current = null;
        try {
            tarBytes.transferTo(OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
        if (tarHash != null) {
            diffId = Digest.fromHash(Digest.Algorithm.SHA256, tarHash.digest());
        }
    }

    /** The digest of the uncompressed tar: the layer's diff id; known after {@link #finish} of a reader opened hashed. */
    public Digest diffId() {
        if (diffId == null) {
            throw new IllegalStateException(tarHash == null ? "not opened hashed" : "not finished");
        }
        return diffId;
    }

    /** Frees the decompressor; the stream it was opened on stays open. */
    @Override
    public void close() throws IOException {
        decompressed.close();
    }

    /** The entry as the policy has it, or null for one that is no content. */
    private static Entry entry(TarArchiveEntry header, List<Xattr> xattrs) {
        String name = header.getName();
        EntryPath path = checked(name, "");
        if (path.isRoot()) {
            return null;
        }
        String base = path.fileName();
        if (base.equals(OPAQUE)) {
            return entry(header, path.parent(), Entry.Kind.OPAQUE, null, xattrs);
        }
        if (base.startsWith(WHITEOUT + WHITEOUT)) {
            return null; // aufs bookkeeping (.wh..wh.plnk and the like), not content
        }
        if (base.startsWith(WHITEOUT)) {
            String hidden = base.substring(WHITEOUT.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                throw new Refusal("not a valid whiteout");
            }
            return entry(header, path.parent().resolve(hidden), Entry.Kind.WHITEOUT, null, xattrs);
        }
        if (header.isDirectory()) {
            return entry(header, path, Entry.Kind.DIRECTORY, null, xattrs);
        }
        if (header.isSymbolicLink()) {
            return entry(header, path, Entry.Kind.SYMLINK, null, xattrs);
        }
        if (header.isLink()) {
            String linkName = header.getLinkName();
            EntryPath target = checked(linkName, "hard link target " + linkName + ": ");
            if (target.isRoot()) {
                throw new Refusal("a hard link to the root");
            }
            return entry(header, path, Entry.Kind.HARDLINK, target, xattrs);
        }
        Entry.Kind kind = header.isCharacterDevice() ? Entry.Kind.CHAR_DEVICE : header.isBlockDevice() ? Entry.Kind.BLOCK_DEVICE
                : header.isFIFO() ? Entry.Kind.FIFO : Entry.Kind.FILE; // all else is a file to commons-compress, as to tar
        return entry(header, path, kind, null, xattrs);
    }

    private static EntryPath checked(String name, String what) {
        try {
            return EntryPath.parse(name);
        } catch (IllegalArgumentException e) {
            throw new Refusal(what + e.getMessage());
        }
    }

    private static Entry entry(TarArchiveEntry h, EntryPath path, Entry.Kind kind, EntryPath hardLinkTarget, List<Xattr> xattrs) {
        return new Entry(h.getName(), path, kind, h.getMode() & 07777, h.getLongUserId(), h.getLongGroupId(),
                h.getLastModifiedTime(), kind == Entry.Kind.FILE ? h.getRealSize() : 0, h.getLinkName(), hardLinkTarget,
                h.getDevMajor(), h.getDevMinor(), xattrs);
    }

    /** What to throw for a failure while reading: the source's own, or the layer's, saying where. */
    private IOException failure(Exception e) {
        String position = current == null ? null : (after ? "after " : "") + Entry.label(current);
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof Decompression.SourceFailure source) {
                return source.getCause(); // even where a decompressor wrapped it
            }
        }
        if (e instanceof LayerReadException read) {
            return read;
        }
        if (e instanceof Refusal refusal) {
            return new LayerReadException(position, refusal.getMessage(), true, null);
        }
        if (e instanceof EOFException) {
            String reason = position == null || position.startsWith("after ") ? "the layer ends before its tar does"
                    : "the layer ends in the middle of an entry";
            return new LayerReadException(position, reason, false, e);
        }
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
        return new LayerReadException(position, message, false, e);
    }

    /** The current entry's bytes, with the reader's failures. */
    private final class Content extends InputStream {

        @Override
        public int read() throws IOException {
            try {
                return tar.read();
            } catch (IOException | RuntimeException e) {
                throw failure(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return tar.read(buffer, offset, length);
            } catch (IOException | RuntimeException e) {
                throw failure(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return tar.skip(n);
            } catch (IOException | RuntimeException e) {
                throw failure(e);
            }
        }

        @Override
        public int available() throws IOException {
            return tar.available();
        }
    }
}
