package dev.berth.registry.upload;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.registry.storage.StagedBlob;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of one request on its way into an upload. Its bytes are written as they arrive, on
 * whichever thread delivers them; then {@link #finish} makes them count (the upload's new size, or
 * the blob), or {@link #abandon} takes them back, so the upload holds what it held before. Until
 * one of the two, no other request writes to the upload; a newer request for it abandons this one.
 */
public final class UploadWrite {

    private static final Logger log = LoggerFactory.getLogger(UploadWrite.class);

    /** What the end of the body does, per kind of request. */
    interface Ending {
        /** Makes the staged bytes count; cleans up after itself when that fails. @return the size to report */
        long finish(StagedBlob staged) throws IOException;

        /** Takes back this request's bytes. */
        void abandon(StagedBlob staged) throws IOException;
    }

    private final String uploadId;
    private final StagedBlob staged;
    /** What the upload held before this request. */
    private final long settled;
    /** The body's announced length (Content-Range, else Content-Length), or -1. */
    private final long expected;
    private final Ending ending;
    private final Consumer<UploadWrite> release;
    private final Counter pushedBytes;
    private long received;
    /** Why this write may take no more bytes: finished, abandoned, or taken over. */
    private String closed;

    UploadWrite(String uploadId, StagedBlob staged, long settled, long expected, Ending ending, Consumer<UploadWrite> release,
                Counter pushedBytes) {
        this.uploadId = uploadId;
        this.staged = staged;
        this.settled = settled;
        this.expected = expected;
        this.ending = ending;
        this.release = release;
        this.pushedBytes = pushedBytes;
    }

    /** What the upload held before this request; it holds that again if the request fails. */
    public long settledSize() {
        return settled;
    }

    public synchronized void write(byte[] buffer, int offset, int length) throws IOException {
        if (closed != null) {
            throw new OciException(OciErrorCode.BLOB_UPLOAD_INVALID, "upload " + uploadId + " takes no more bytes from this request: " + closed);
        }
        if (expected >= 0 && received + length > expected) {
            throw new OciException(OciErrorCode.SIZE_INVALID, "the body is longer than the " + expected + " bytes the request announced");
        }
        staged.write(buffer, offset, length);
        received += length;
    }

    /** The body ended: checks its length and makes its bytes count. */
    public synchronized long finish() throws IOException {
        if (closed != null) {
            throw new OciException(OciErrorCode.BLOB_UPLOAD_INVALID, "upload " + uploadId + " takes no more bytes from this request: " + closed);
        }
        if (expected >= 0 && received != expected) {
            abandon("the body was too short");
            throw new OciException(OciErrorCode.SIZE_INVALID, "received " + received + " bytes, but the request announced " + expected);
        }
        closed = "it has finished";
        try {
            long size = ending.finish(staged);
            pushedBytes.increment(received);
            return size;
        } finally {
            closeAndRelease();
        }
    }

    /** Takes this request's bytes back (the client failed, stalled, or a newer request took over); never throws. */
    public synchronized void abandon(String why) {
        if (closed != null) {
            return;
        }
        closed = why;
        try {
            ending.abandon(staged);
        } catch (IOException | RuntimeException e) {
            log.warn("could not take back the bytes of an abandoned request to upload {}: {}", uploadId, e.toString());
        } finally {
            closeAndRelease();
        }
    }

    private void closeAndRelease() {
        try {
            staged.close();
        } catch (IOException e) {
            log.debug("closing the staged file of upload {}: {}", uploadId, e.toString());
        }
        release.accept(this);
    }
}
