package dev.berth.registry.distribution;

import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * A request body that is also a channel, so the blob store reads it straight into its direct
 * buffers ({@link ServletInputStream#read(ByteBuffer)}) rather than through a byte array.
 */
final class BlobBody extends InputStream implements ReadableByteChannel {

    private final ServletInputStream in;
    private boolean open = true;

    BlobBody(ServletInputStream in) {
        this.in = in;
    }

    /**
     * Tomcat leaves {@code target} flipped over the bytes it just read (position at their start,
     * limit at their end); a channel leaves the position after them and the limit alone. Set both
     * as a channel does, whichever the container did.
     */
    @Override
    public int read(ByteBuffer target) throws IOException {
        int position = target.position();
        int limit = target.limit();
        int n = in.read(target);
        target.limit(limit).position(position + Math.max(n, 0));
        return n;
    }

    @Override
    public int read() throws IOException {
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return in.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        open = false;
        in.close();
    }
}
