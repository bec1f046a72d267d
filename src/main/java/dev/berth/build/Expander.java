package dev.berth.build;

import java.util.function.Function;

/**
 * Docker's word processing for the instructions it expands (ADD COPY ENV EXPOSE FROM LABEL
 * STOPSIGNAL USER VOLUME WORKDIR, and ONBUILD of those): quotes removed (single quotes literal,
 * double quotes expanding), the escape character making the next character literal, and
 * {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}}, {@code ${VAR-word}}, {@code ${VAR:+word}},
 * {@code ${VAR+word}}, {@code ${VAR:?message}} and {@code ${VAR?message}}, the words themselves
 * expanded. An unset variable is empty. Failures are {@link IllegalArgumentException}s with the
 * reason; {@link StageScope} puts the file and line on them.
 */
final class Expander {

    private final String text;
    private final char escape;
    private final Function<String, String> lookup;
    private int pos;
    private int depth;

    /** Deeper nesting of ${...:-${...}} is refused rather than let overflow the stack. */
    static final int MAX_DEPTH = 64;

    private Expander(String text, char escape, Function<String, String> lookup) {
        this.text = text;
        this.escape = escape;
        this.lookup = lookup;
    }

    /** The word with its quotes and escapes resolved and its variables replaced; {@code lookup} answers null for unset. */
    static String word(String text, char escape, Function<String, String> lookup) {
        Expander e = new Expander(text, escape, lookup);
        String out = e.until((char) 0);
        return out;
    }

    /** Reads up to {@code stop} (outside quotes; 0 for the end), leaving {@link #pos} on it. */
    private String until(char stop) {
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (stop != 0 && c == stop) {
                return out.toString();
            }
            pos++;
            if (c == escape) {
                if (pos < text.length()) {
                    out.append(text.charAt(pos++));
                } else {
                    out.append(c);
                }
            } else if (c == '\'') {
                int end = text.indexOf('\'', pos);
                if (end < 0) {
                    throw new IllegalArgumentException("unexpected end of statement while looking for matching single-quote");
                }
                out.append(text, pos, end);
                pos = end + 1;
            } else if (c == '"') {
                out.append(doubleQuoted());
            } else if (c == '$') {
                out.append(dollar());
            } else {
                out.append(c);
            }
        }
        if (stop != 0) {
            throw new IllegalArgumentException("missing '" + stop + "' in " + text);
        }
        return out.toString();
    }

    private String doubleQuoted() {
        StringBuilder out = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == escape && pos < text.length()) {
                char next = text.charAt(pos);
                if (next == '"' || next == '$' || next == escape) {
                    out.append(next);
                    pos++;
                    continue;
                }
                out.append(c);
            } else if (c == '$') {
                out.append(dollar());
            } else {
                out.append(c);
            }
        }
        throw new IllegalArgumentException("unexpected end of statement while looking for matching double-quote");
    }

    /** After a {@code $}: a name, or a braced expression; a lone {@code $} stays itself. */
    private String dollar() {
        if (pos < text.length() && text.charAt(pos) == '{') {
            pos++;
            return braced();
        }
        String name = name();
        if (name.isEmpty()) {
            return "$";
        }
        return valueOrEmpty(name);
    }

    private String braced() {
        String name = name();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("bad substitution in " + text + ": expected a name after ${");
        }
        if (pos >= text.length()) {
            throw new IllegalArgumentException("missing '}' in " + text);
        }
        char c = text.charAt(pos++);
        if (c == '}') {
            return valueOrEmpty(name);
        }
        boolean colon = c == ':';
        if (colon) {
            if (pos >= text.length()) {
                throw new IllegalArgumentException("missing '}' in " + text);
            }
            c = text.charAt(pos++);
        }
        if (c != '-' && c != '+' && c != '?') {
            throw new IllegalArgumentException("unsupported modifier " + (colon ? ":" : "") + c + " in ${" + name
                    + "...}: expected :-, -, :+, +, :? or ?");
        }
        if (++depth > MAX_DEPTH) {
            throw new IllegalArgumentException("substitutions nested deeper than " + MAX_DEPTH + " in ${" + name + "...}");
        }
        String word = until('}');
        depth--;
        pos++;
        String value = lookup.apply(name);
        boolean set = colon ? value != null && !value.isEmpty() : value != null;
        return switch (c) {
            case '-' -> set ? value : word;
            case '+' -> set ? word : "";
            default -> {
                if (!set) {
                    throw new IllegalArgumentException(name + ": " + (word.isEmpty() ? "is not allowed to be " + (colon ? "unset or empty" : "unset") : word));
                }
                yield value;
            }
        };
    }

    private String name() {
        int start = pos;
        if (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            return text.substring(start, pos);
        }
        if (pos < text.length() && "@*#?-$!".indexOf(text.charAt(pos)) >= 0) {
            return text.substring(start, ++pos);
        }
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private String valueOrEmpty(String name) {
        String v = lookup.apply(name);
        return v == null ? "" : v;
    }
}
