package dev.berth.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts a layer's uncompressed tar as it is read and refuses it the moment it passes the limit,
 * so that a small gzip bomb stops at the limit and not at the end of the disk (or of the server's
 * patience, for the UI).
 */
final class SizeLimit extends FilterInputStream {

    private final long limit;
    private final String setting;
    private long count;

    /** @param setting what sets the limit, named in the refusal */
    SizeLimit(InputStream in, long limit, String setting) {
        super(in);
        this.limit = limit;
        this.setting = setting;
    }

    long remaining() {
        return limit - count;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        if (skipped > 0) {
            counted(skipped);
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Refuses an entry that says it is larger than what is left, before any of it is read. */
    void check(long entrySize) {
        if (entrySize > remaining()) {
            throw tooLarge();
        }
    }

    /**
     * Counts bytes the tar reader gives that are not in the tar: the holes of a sparse file, which
     * it fills with zeros, so that a small tar of sparse files cannot unpack past the limit.
     */
    void countBeyondTheTar(long bytes) {
        if (bytes > 0) {
            counted(bytes);
        }
    }

    private void counted(long n) {
        count += n;
        if (count > limit) {
            throw tooLarge();
        }
    }

    private Refusal tooLarge() {
        return new Refusal("the layer unpacks to more than " + describe(limit) + ", the limit (" + setting + ")");
    }

    /** 64 GiB, 1 MiB, or 1000001 bytes. */
    static String describe(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        for (int i = units.length; i >= 1; i--) {
            long unit = 1L << (10 * i);
            if (bytes >= unit && bytes % unit == 0) {
                return bytes / unit + " " + units[i - 1];
            }
        }
        return bytes + " bytes";
    }
}
