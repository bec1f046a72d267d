package dev.berth.registry.storage;

import dev.berth.oci.Digest;
import java.io.IOException;

/**
 * The bytes of one upload on their way into the store. They are hashed as they are appended, so
 * committing a whole upload costs one fsync and one rename, never a second read.
 */
public interface StagedBlob extends AutoCloseable {

    /** Bytes received so far. */
    long size();

    /** Refuses (507) now when {@code bytes} more would not fit above the free-space reserve. */
    void requireRoomFor(long bytes) throws IOException;

    /**
     * Appends bytes as they arrive, hashing them on the way; refused (507) once they reach the
     * free-space reserve. A failed write leaves the staged bytes to {@link #rollBack}.
     */
    void write(byte[] buffer, int offset, int length) throws IOException;

    /** Cuts the staged bytes back to {@code size}, undoing a failed append. */
    void rollBack(long size) throws IOException;

    /**
     * Checks the bytes against {@code expected}; when they match, moves them under their digest
     * (keeping the copy already there, if any) and returns their size. When they do not match,
     * the staged bytes are removed and {@code DIGEST_INVALID} is thrown.
     */
    long commit(Digest expected) throws IOException;

    @Override
    void close() throws IOException;
}
