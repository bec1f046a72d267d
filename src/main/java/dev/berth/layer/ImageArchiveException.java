package dev.berth.layer;

import java.io.IOException;

/** An image archive (a {@code docker save} or OCI-archive tar) that is refused: one line saying which entry and why. */
public final class ImageArchiveException extends IOException {

    public ImageArchiveException(String message) {
        super(message);
    }
}
