package dev.berth.runtime.unpack;

/** A layer entry that would write outside its root, or otherwise cannot be unpacked safely. */
public final class UnsafeLayerException extends RuntimeException {

    UnsafeLayerException(String entry, String reason) {
        super("refused layer entry " + entry + ": " + reason);
    }
}
