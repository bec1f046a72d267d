package dev.berth.runtime.unpack;

import dev.berth.layer.LayerReadException;
import dev.berth.oci.Digest;
import java.io.IOException;

/**
 * Why a layer could not be unpacked, in one line: which layer, which entry (when one was being
 * written) and why, as in {@code layer sha256:…: entry dev/ptmx: mknod: Operation not permitted}.
 */
public final class LayerUnpackException extends IOException {

    LayerUnpackException(Digest layer, String where, String reason, Throwable cause) {
        super("layer " + layer + ": " + (where == null ? "" : oneLine(where) + ": ") + oneLine(reason), cause);
    }

    /** What the reader refused or could not read, in its words (where and why, already one line). */
    LayerUnpackException(Digest layer, LayerReadException cause) {
        super("layer " + layer + ": " + cause.getMessage(), cause);
    }

    /** Entry names come from the layer: no control character of theirs may break the line. */
    private static String oneLine(String text) {
        return text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
