package dev.berth.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Splitting an instruction's arguments as Docker's parser does, before any expansion. */
final class Words {

    private Words() {
    }

    /**
     * Whitespace-separated words where quotes ({@code '...'}, {@code "..."}) and the escape character
     * protect whitespace; quotes and escapes stay in the words for {@link Expander} to resolve.
     */
    static List<String> split(String text, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && (c == ' ' || c == '\t' || c == '\n')) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            word.append(c);
            if (c == escape && quote != '\'' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Plain whitespace fields, as COPY, ADD, EXPOSE and VOLUME take them (quotes are not special here). */
    static List<String> fields(String text) {
        String t = text.strip();
        return t.isEmpty() ? List.of() : List.of(t.split("[ \\t\\n]+"));
    }

    /**
     * The exec form: a JSON array of strings and nothing else. Anything that is not one (also a
     * bad JSON array) is the shell form, as in Docker.
     */
    static Optional<List<String>> jsonArray(String text) {
        String t = text.strip();
        if (!t.startsWith("[")) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        int[] pos = {1};
        skipSpace(t, pos);
        if (pos[0] < t.length() && t.charAt(pos[0]) == ']') {
            return pos[0] == t.length() - 1 ? Optional.of(out) : Optional.empty();
        }
        while (true) {
            skipSpace(t, pos);
            String s = jsonString(t, pos);
            if (s == null) {
                return Optional.empty();
            }
            out.add(s);
            skipSpace(t, pos);
            if (pos[0] >= t.length()) {
                return Optional.empty();
            }
            char c = t.charAt(pos[0]++);
            if (c == ']') {
                return pos[0] == t.length() ? Optional.of(out) : Optional.empty();
            }
            if (c != ',') {
                return Optional.empty();
            }
        }
    }

    private static void skipSpace(String t, int[] pos) {
        while (pos[0] < t.length() && " \t\r\n".indexOf(t.charAt(pos[0])) >= 0) {
            pos[0]++;
        }
    }

    private static String jsonString(String t, int[] pos) {
        if (pos[0] >= t.length() || t.charAt(pos[0]) != '"') {
            return null;
        }
        StringBuilder b = new StringBuilder();
        int i = pos[0] + 1;
        while (i < t.length()) {
            char c = t.charAt(i++);
            if (c == '"') {
                pos[0] = i;
                return b.toString();
            }
            if (c < 0x20) {
                return null;
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= t.length()) {
                return null;
            }
            char e = t.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 4 > t.length()) {
                        return null;
                    }
                    try {
                        b.append((char) Integer.parseInt(t.substring(i, i + 4), 16));
                    } catch (NumberFormatException bad) {
                        return null;
                    }
                    i += 4;
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }
}
