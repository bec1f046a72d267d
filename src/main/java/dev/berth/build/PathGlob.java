package dev.berth.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Go's path syntax as Docker uses it: {@link #clean} as {@code filepath.Clean} (no {@code .}, no
 * empty or trailing segments, {@code ..} resolved where it can be), and {@link #regex} turning a
 * pattern into a regular expression: {@code *} any run within a segment, {@code ?} one character
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

    /** The pattern as a regex over whole slash-separated paths; {@code doubleStar} for .dockerignore's {@code **}. */
    static Pattern regex(String pattern, boolean doubleStar) {
        StringBuilder re = new StringBuilder("^");
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i++);
            if (c == '*') {
                if (doubleStar && i < pattern.length() && pattern.charAt(i) == '*') {
                    i++;
                    if (i < pattern.length() && pattern.charAt(i) == '/') {
                        i++;
                    }
                    re.append(i >= pattern.length() ? ".*" : "(.*/)?");
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '\\') {
                re.append(i < pattern.length() ? quote(pattern.charAt(i++)) : "\\\\");
            } else if (c == '[') {
                i = charClass(pattern, i, re);
            } else {
                re.append(quote(c));
            }
        }
        return Pattern.compile(re.append('$').toString(), Pattern.DOTALL);
    }

    private static int charClass(String pattern, int i, StringBuilder re) {
        StringBuilder cls = new StringBuilder("[");
        if (i < pattern.length() && pattern.charAt(i) == '^') {
            cls.append('^');
            i++;
        }
        boolean any = false;
        while (i < pattern.length()) {
            char c = pattern.charAt(i++);
            if (c == ']' && any) {
                re.append(cls).append(']');
                return i;
            }
            any = true;
            if (c == '\\' && i < pattern.length()) {
                c = pattern.charAt(i++);
            }
            cls.append(c == '-' ? "-" : quote(c));
        }
        throw new IllegalArgumentException("syntax error in pattern " + pattern + ": a [ without its ]");
    }

    private static String quote(char c) {
        return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
    }
}
