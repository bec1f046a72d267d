package dev.berth.runtime.unpack;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes every byte that passes, skipped ones included ({@code DigestInputStream} lets
 * {@code skip} bypass the hash, and the tar reader skips what nobody reads).
 */
final class HashingInputStream extends FilterInputStream {

    private final MessageDigest hash;

    HashingInputStream(InputStream in, MessageDigest hash) {
        super(in);
        this.hash = hash;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            hash.update((byte) b);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            hash.update(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 64 * 1024)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
