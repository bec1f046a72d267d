package dev.berth.layer;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Opens a layer by its first bytes, whatever its media type claims: gzip, zstd, or a plain tar.
 * Closing what it returns frees the decompressor but leaves the caller's stream open (the runtime
 * reads on to the end of a pulled blob after the tar ends), and a failure of the caller's stream
 * comes out as a {@link SourceFailure}, so that it is not taken for the layer's.
 */
final class Decompression {

    static final int BUFFER = 64 * 1024;

    private Decompression() {
    }

    static InputStream open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(new Source(raw), BUFFER);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, BUFFER);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return new ZstdInputStream(in);
        }
        return in;
    }

    /** The stream's own failure (a network or disk error), not the layer's. */
    static final class SourceFailure extends IOException {
        SourceFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** The caller's stream: never closed here, its failures marked. */
    private static final class Source extends FilterInputStream {

        Source(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new SourceFailure(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return in.read(buffer, offset, length);
            } catch (IOException e) {
                throw new SourceFailure(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException e) {
                throw new SourceFailure(e);
            }
        }

        @Override
        public int available() throws IOException {
            try {
                return in.available();
            } catch (IOException e) {
                throw new SourceFailure(e);
            }
        }

        @Override
        public void close() {
            // the caller's stream, the caller's to close
        }
    }
}
