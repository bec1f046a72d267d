package dev.berth.registry.upload;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;

/** A chunk that does not start where the upload ends: answered 416 with the upload's current range. */
public final class RangeNotSatisfiableException extends OciException {

    private final long currentSize;

    RangeNotSatisfiableException(long currentSize) {
        super(OciErrorCode.RANGE_INVALID, "chunk is out of order: the upload holds " + currentSize
                + " bytes, so the next chunk must start at " + currentSize);
        this.currentSize = currentSize;
    }

    public long currentSize() {
        return currentSize;
    }
}
