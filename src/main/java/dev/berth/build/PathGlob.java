package dev.berth.build;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's path syntax as Docker uses it: {@link #clean} as {@code filepath.Clean} (no {@code .}, no
 * empty or trailing segments, {@code ..} resolved where it can be), and {@link #compile} turning a
 * pattern into a {@link Glob}: {@code *} any run within a segment, {@code ?} one character
 * but {@code /}, {@code [...]} a class ({@code [^...]} negated), the escape {@code \}, and for
 * .dockerignore {@code **} (any number of segments, also none).
 */
final class PathGlob {

    private PathGlob() {
    }

    static String clean(String path) {
        boolean rooted = path.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String seg : path.split("/+")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                out.remove(out.size() - 1);
            } else if (!(seg.equals("..") && rooted)) {
                out.add(seg);
            }
        }
        String joined = String.join("/", out);
        return rooted ? "/" + joined : joined.isEmpty() ? "." : joined;
    }

    static boolean hasWildcards(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
    }

    /**
     * The pattern as a matcher of whole slash-separated paths; {@code doubleStar} for
     * .dockerignore's {@code **}. It runs as a set of states over the path's characters (no
     * backtracking), so its work is at most the pattern's length times the path's, whatever the
     * pattern: a .dockerignore line such as {@code **}{@code /a/**}{@code /b/**}{@code /c} costs what any other does.
     */
    static Glob compile(String pattern, boolean doubleStar) {
        List<Glob.Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i++);
            if (c == '*') {
                if (doubleStar && i < pattern.length() && pattern.charAt(i) == '*') {
                    i++;
                    if (i < pattern.length() && pattern.charAt(i) == '/') {
                        i++;
                    }
                    // At the end: anything; before more pattern: any number of whole segments, also none.
                    tokens.add(i >= pattern.length() ? Glob.Token.ANYTHING : Glob.Token.SEGMENTS);
                } else {
                    tokens.add(Glob.Token.IN_SEGMENT);
                }
            } else if (c == '?') {
                tokens.add(Glob.Token.ONE);
            } else if (c == '\\') {
                tokens.add(Glob.Token.literal(i < pattern.length() ? pattern.charAt(i++) : '\\'));
            } else if (c == '[') {
                i = charClass(pattern, i, tokens);
            } else {
                tokens.add(Glob.Token.literal(c));
            }
        }
        return new Glob(tokens);
    }

    private static int charClass(String pattern, int i, List<Glob.Token> tokens) {
        boolean negated = i < pattern.length() && pattern.charAt(i) == '^';
        if (negated) {
            i++;
        }
        StringBuilder members = new StringBuilder();
        boolean any = false;
        while (i < pattern.length()) {
            char c = pattern.charAt(i++);
            if (c == ']' && any) {
                tokens.add(Glob.Token.charClass(members.toString(), negated));
                return i;
            }
            any = true;
            if (c == '\\' && i < pattern.length()) {
                // An escaped member is itself, never the '-' of a range.
                members.append('\\').append(pattern.charAt(i++));
            } else {
                members.append(c);
            }
        }
        throw new IllegalArgumentException("syntax error in pattern " + pattern + ": a [ without its ]");
    }
}
