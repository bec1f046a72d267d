package dev.berth.it;

import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;

/**
 * {@code length} pseudo-random bytes from a seed, generated as they are read: gigabytes of test
 * data that never sit in memory, and the same bytes again for the same seed.
 */
final class SeededBytes extends InputStream {

    private final SplittableRandom random;
    private long remaining;
    private long word;
    private int wordBytes;

    SeededBytes(long seed, long length) {
        this.random = new SplittableRandom(seed);
        this.remaining = length;
    }

    /** The digest of the bytes a {@code SeededBytes(seed, length)} yields. */
    static String digest(long seed, long length) throws IOException {
        return TestFiles.digest(new SeededBytes(seed, length));
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (remaining == 0) {
            return -1;
        }
        int n = (int) Math.min(length, remaining);
        for (int i = 0; i < n; i++) {
            if (wordBytes == 0) {
                word = random.nextLong();
                wordBytes = 8;
            }
            buffer[offset + i] = (byte) word;
            word >>>= 8;
            wordBytes--;
        }
        remaining -= n;
        return n;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    /** The next {@code length} bytes of {@code in}, as a stream whose close leaves {@code in} open. */
    static InputStream slice(InputStream in, long length) {
        return new InputStream() {
            private long left = length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = in.read(buffer, offset, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }
}
