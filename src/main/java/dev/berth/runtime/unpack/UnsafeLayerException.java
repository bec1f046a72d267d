package dev.berth.runtime.unpack;

/**
 * A layer entry that would write outside its root by what is already on disk (through a symlink,
 * over a non-directory, a hard link to what this layer did not make); {@link LayerUnpacker}
 * reports it as a {@link LayerUnpackException} naming the layer and entry. What names alone
 * tell is refused earlier, by the layer reader's policy.
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
