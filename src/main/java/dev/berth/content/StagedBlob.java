package dev.berth.content;

import dev.berth.oci.Digest;
import java.io.IOException;

/**
 * Bytes on their way into a store under a {@link StagingName}. They are hashed as they are
 * appended, so committing costs one fsync and one rename, never a second read. Staged bytes are
 * never visible as a blob: only {@link #commit} makes them one, and only when they hash to the
 * expected digest. Closing without committing keeps them, to be resumed
 * ({@link ContentStore#resume}) or discarded; one writer at a time per name.
 */
public interface StagedBlob extends AutoCloseable {

    StagingName name();

    /** Bytes staged so far. */
    long size();

    /** Refuses now (the store's {@link SpaceGuard} error) when {@code bytes} more would not fit. */
    void requireRoomFor(long bytes) throws IOException;

    /**
     * Appends bytes, hashing them on the way; refused once they no longer fit. A failed write leaves
     * the staged bytes to {@link #rollBack}.
     */
    void write(byte[] buffer, int offset, int length) throws IOException;

    /** Cuts the staged bytes back to {@code size}, undoing a failed append. */
    void rollBack(long size) throws IOException;

    /**
     * Checks the bytes against {@code expected}; when they match, makes them the blob of that
     * digest (keeping the copy already there, if any) and returns their size. When they do not,
     * the staged bytes are removed and {@code DIGEST_INVALID} is thrown: nothing is left.
     */
    default long commit(Digest expected) throws IOException {
        return commit(expected, -1);
    }

    /** As {@link #commit(Digest)}, and the size must be {@code expectedSize} ({@code SIZE_INVALID} else; -1: any). */
    long commit(Digest expected, long expectedSize) throws IOException;

    /** Closes and removes the staged bytes; harmless when they are committed or gone. */
    void discard() throws IOException;

    /** Closes, keeping the staged bytes for a later {@link ContentStore#resume}. */
    @Override
    void close() throws IOException;
}
