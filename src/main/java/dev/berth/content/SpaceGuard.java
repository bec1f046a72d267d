package dev.berth.content;

import java.io.IOException;

/**
 * What a store asks before and while it stages bytes: whether they still fit. The registry keeps
 * a reserve on the data directory's file system this way (its uploads answer 507 at the reserve);
 * the runtime has no such limit ({@link #NONE}).
 */
public interface SpaceGuard {

    /** Accepts any number of bytes; a failed write is reported as it is. */
    SpaceGuard NONE = new SpaceGuard() {
        @Override
        public void requireRoomFor(long bytes) {
        }

        @Override
        public void writeFailed(IOException failure) {
        }
    };

    /** Throws (the caller's error for a full store) unless {@code bytes} more fit now. */
    void requireRoomFor(long bytes) throws IOException;

    /**
     * Told of a write to staging that failed; throws the error to report instead when the failure
     * was for lack of room (ENOSPC), returns otherwise and the failure is rethrown as it is.
     */
    void writeFailed(IOException failure) throws IOException;
}
