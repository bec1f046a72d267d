package dev.berth.registry.storage;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of one upload on their way into the store. They are hashed as they are appended, so
 * committing a whole upload costs one fsync and one rename, never a second read.
 */
public interface StagedBlob extends AutoCloseable {

    /** Bytes received so far. */
    long size();

    /**
     * Appends everything {@code in} yields, up to {@code limit} bytes (-1: no limit).
     *
     * @return the number of bytes appended
     */
    long append(InputStream in, long limit) throws IOException;

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
