package dev.berth.runtime.unpack;

/**
 * A layer entry that would write outside its root, or otherwise cannot be unpacked safely;
 * {@link LayerUnpacker} reports it as a {@link LayerUnpackException} naming the layer and entry.
 */
final class UnsafeLayerException extends RuntimeException {

    private final String reason;

    UnsafeLayerException(String entry, String reason) {
        super("refused layer entry " + entry + ": " + reason);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
