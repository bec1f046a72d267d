package dev.berth.content;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one blob of a known digest and size into a store, as an {@link OutputStream}: bytes
 * beyond the size fail at once, before they reach the store; {@link #commit} checks size and
 * digest (the digest only when the store hashes, see {@link ContentStore#writerVerifiedByCaller})
 * and makes the bytes the blob; {@link #close} without a commit removes them.
 */
public final class ContentWriter extends OutputStream {

    private final StagedBlob staged;
    private final Digest expected;
    private final long expectedSize;
    private boolean committed;
    private boolean closed;

    /** Over staged bytes a store made for this digest and size; the writer owns them from here on. */
    public ContentWriter(StagedBlob staged, Digest expected, long expectedSize) {
        this.staged = staged;
        this.expected = expected;
        this.expectedSize = expectedSize;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("the writer for " + expected + " is closed");
        }
        if (staged.size() + length > expectedSize) {
            throw new OciException(OciErrorCode.SIZE_INVALID, "content for " + expected + " is larger than the "
                    + expectedSize + " bytes expected");
        }
        staged.write(bytes, offset, length);
    }

    /** Makes the content part of the store, or fails (and keeps nothing) if it is not what was expected. */
    public void commit() throws IOException {
        if (closed) {
            throw new IOException("the writer for " + expected + " is closed");
        }
        try {
            staged.commit(expected, expectedSize);
            committed = true;
        } finally {
            close();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (committed) {
            staged.close();
        } else {
            staged.discard();
        }
    }
}
