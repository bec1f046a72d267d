package dev.berth.testing;

import dev.berth.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.params.provider.Arguments;

/**
 * A small gzip layer that expands about a thousand times: files of zeros, then optionally zeros
 * after the tar's end. Made of concatenated gzip members (which gzip readers take as one stream),
 * one per tar header and one per MiB of zeros compressed once, so even a GiB costs nothing to make
 * and the large tar is never in memory.
 */
public final class GzipBomb {

    private static final int MIB = 1 << 20;
    private static final byte[] ZEROS = new byte[MIB];
    private static final byte[] ZEROS_MEMBER = gzip(ZEROS);

    private final int files;
    private final int mibPerFile;
    private final int mibAfterTheEnd;
    private final byte[] gzip;

    private GzipBomb(int files, int mibPerFile, int mibAfterTheEnd) {
        this.files = files;
        this.mibPerFile = mibPerFile;
        this.mibAfterTheEnd = mibAfterTheEnd;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, true);
        this.gzip = out.toByteArray();
    }

    /** {@code files} files {@code zeros/0…} of {@code mibPerFile} MiB each, then {@code mibAfterTheEnd} MiB of zeros past the end. */
    public static GzipBomb of(int files, int mibPerFile, int mibAfterTheEnd) {
        return new GzipBomb(files, mibPerFile, mibAfterTheEnd);
    }

    public byte[] gzip() {
        return gzip.clone();
    }

    /** The uncompressed tar's size. */
    public long tarSize() {
        return files * (512L + (long) mibPerFile * MIB) + 1024 + (long) mibAfterTheEnd * MIB;
    }

    /** The uncompressed tar's digest, hashed from a stream of it (about a second per GiB). */
    public Digest diffId() {
        MessageDigest sha256 = Digest.Algorithm.SHA256.newMessageDigest();
        write(new DigestOutputStream(OutputStream.nullOutputStream(), sha256), false);
        return Digest.fromHash(Digest.Algorithm.SHA256, sha256.digest());
    }

    private void write(OutputStream out, boolean compressed) {
        try {
            for (int i = 0; i < files; i++) {
                TarArchiveEntry e = new TarArchiveEntry("zeros/" + i, true);
                e.setSize((long) mibPerFile * MIB);
                e.setMode(0644);
                e.setModTime(1_700_000_000_000L);
                byte[] header = new byte[512];
                e.writeEntryHeader(header);
                out.write(compressed ? gzip(header) : header);
                zeros(out, mibPerFile, compressed);
            }
            byte[] end = new byte[1024]; // two zero records end a tar
            out.write(compressed ? gzip(end) : end);
            zeros(out, mibAfterTheEnd, compressed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void zeros(OutputStream out, int mib, boolean compressed) throws IOException {
        for (int i = 0; i < mib; i++) {
            out.write(compressed ? ZEROS_MEMBER : ZEROS);
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The three shapes every size-limit test refuses, with where the refusal names: (name, bomb, entry prefix). */
    public static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("one file larger than the limit", of(1, 1024, 0), "entry zeros/0: "),
                Arguments.of("many files, each within the limit", of(1024, 1, 0), "entry zeros/1: "),
                Arguments.of("zeros after the end of the tar", of(0, 0, 1024), ""));
    }

    /** The compressed bytes as a stream that adds to {@code read[0]} what is read from it. */
    public InputStream counting(long[] read) {
        return new FilterInputStream(new ByteArrayInputStream(gzip)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read[0] += Math.max(n, 0);
                return n;
            }
        };
    }
}
