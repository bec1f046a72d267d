package dev.berth.layer;

import java.io.IOException;

/**
 * Why a layer cannot be read, in one line: where in the layer ({@code entry NAME}, {@code after
 * entry NAME}, or nowhere in particular) and why, as in {@code entry ../x: refused: .. climbs out
 * of the layer root}. The runtime's unpacker and the UI's layer browser say the same words for
 * the same bytes.
 */
public final class LayerReadException extends IOException {

    private final String where;
    private final String reason;
    private final boolean refused;

    LayerReadException(String where, String reason, boolean refused, Throwable cause) {
        super((where == null ? "" : where + ": ") + oneLine((refused ? "refused: " : "") + reason), cause);
        this.where = where;
        this.reason = reason;
        this.refused = refused;
    }

    /** {@code entry NAME}, {@code after entry NAME}, or null when the failure is not at an entry. */
    public String where() {
        return where;
    }

    public String reason() {
        return reason;
    }

    /**
     * True when the layer was read but the policy refuses it (a name outside the root, a bad
     * whiteout, the size limit), false when its bytes are no layer (corrupt, cut short, not a tar).
     */
    public boolean refused() {
        return refused;
    }

    /** Names and messages come from the layer: no control character of theirs may break the line. */
    static String oneLine(String text) {
        if (text.chars().noneMatch(Character::isISOControl)) {
            return text;
        }
        return text.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
