package dev.berth.build;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name=value} flags that open an instruction's arguments (until the first word that is
 * not one, or {@code --}), checked against the flags the instruction takes.
 */
record Flags(Map<String, String> values, String rest) {

    static Flags parse(String text, char escape, Set<String> allowed, String instruction, String file, int line) {
        Map<String, String> values = new LinkedHashMap<>();
        String t = text.strip();
        while (t.startsWith("--")) {
            int end = wordEnd(t, escape);
            String word = t.substring(0, end);
            t = t.substring(end).strip();
            if (word.equals("--")) {
                break;
            }
            int eq = word.indexOf('=');
            String name = eq < 0 ? word.substring(2) : word.substring(2, eq);
            String value = eq < 0 ? "" : unquote(word.substring(eq + 1));
            if (!allowed.contains(name)) {
                throw new DockerfileException(file, line, "unknown flag for " + instruction + ": --" + name
                        + (allowed.isEmpty() ? " (it takes none)" : " (expected one of --" + String.join(", --", allowed.stream().sorted().toList()) + ")"));
            }
            if (values.containsKey(name)) {
                throw new DockerfileException(file, line, "duplicate flag for " + instruction + ": --" + name);
            }
            values.put(name, eq < 0 ? null : value);
        }
        return new Flags(values, t);
    }

    /** The flag's value; a flag given without {@code =} has none. */
    java.util.Optional<String> value(String name) {
        return java.util.Optional.ofNullable(values.get(name));
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    private static int wordEnd(String t, char escape) {
        char quote = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == escape && quote != '\'') {
                i++;
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else if (quote == 0 && (c == ' ' || c == '\t')) {
                return i;
            }
        }
        return t.length();
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
