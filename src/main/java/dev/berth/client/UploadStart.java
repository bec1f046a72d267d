package dev.berth.client;

import java.net.URI;

/**
 * What {@code POST /v2/<name>/blobs/uploads/} answered: the blob was mounted from another
 * repository (nothing to upload), or an upload session was opened at {@code location}.
 */
public record UploadStart(boolean mounted, URI location) {

    static UploadStart wasMounted(URI location) {
        return new UploadStart(true, location);
    }

    static UploadStart session(URI location) {
        return new UploadStart(false, location);
    }
}
