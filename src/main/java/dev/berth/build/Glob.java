package dev.berth.build;

import java.util.BitSet;
import java.util.List;

/**
 * A compiled {@link PathGlob} pattern. Matching keeps the set of pattern positions the path so
 * far can be at and moves all of them one character at a time, as a Thompson NFA does: no
 * backtracking, so each character costs at most the pattern's length.
 */
final class Glob {

    /** One element of a pattern. */
    record Token(Kind kind, char literal, String members, boolean negated) {

        enum Kind { LITERAL, ONE, IN_SEGMENT, SEGMENTS, ANYTHING, CLASS }

        static final Token ONE = new Token(Kind.ONE, '\0', null, false);
        /** {@code *}: any run of characters but {@code /}. */
        static final Token IN_SEGMENT = new Token(Kind.IN_SEGMENT, '\0', null, false);
        /** {@code **}{@code /} before more pattern: any number of whole segments, each with its {@code /}, also none. */
        static final Token SEGMENTS = new Token(Kind.SEGMENTS, '\0', null, false);
        /** {@code **} at the end: any characters. */
        static final Token ANYTHING = new Token(Kind.ANYTHING, '\0', null, false);

        static Token literal(char c) {
            return new Token(Kind.LITERAL, c, null, false);
        }

        /** {@code [...]}: {@code members} as written between the brackets, escapes kept. */
        static Token charClass(String members, boolean negated) {
            return new Token(Kind.CLASS, '\0', members, negated);
        }

        boolean classMatches(char c) {
            boolean in = false;
            int i = 0;
            while (i < members.length() && !in) {
                char lo = members.charAt(i++);
                if (lo == '\\' && i < members.length()) {
                    lo = members.charAt(i++);
                    in = c == lo;
                    continue;
                }
                if (i + 1 < members.length() && members.charAt(i) == '-') {
                    char hi = members.charAt(i + 1);
                    if (hi == '\\' && i + 2 < members.length()) {
                        hi = members.charAt(i + 2);
                        i++;
                    }
                    i += 2;
                    in = lo <= c && c <= hi;
                } else {
                    in = c == lo;
                }
            }
            return in != negated;
        }
    }

    private final Token[] tokens;

    Glob(List<Token> tokens) {
        this.tokens = tokens.toArray(Token[]::new);
    }

    /** Whether the whole of {@code path} matches. */
    boolean matches(String path) {
        int n = tokens.length;
        // Bit i: at token i. Bit n + 1 + i: inside the segments of a SEGMENTS token i, before its next '/'.
        BitSet states = new BitSet();
        add(states, 0);
        for (int p = 0; p < path.length() && !states.isEmpty(); p++) {
            char c = path.charAt(p);
            BitSet next = new BitSet();
            for (int s = states.nextSetBit(0); s >= 0; s = states.nextSetBit(s + 1)) {
                if (s > n) {
                    int i = s - n - 1;
                    next.set(s);
                    if (c == '/') {
                        add(next, i + 1);
                    }
                    continue;
                }
                if (s == n) {
                    continue;
                }
                Token t = tokens[s];
                switch (t.kind()) {
                    case LITERAL -> {
                        if (c == t.literal()) {
                            add(next, s + 1);
                        }
                    }
                    case ONE -> {
                        if (c != '/') {
                            add(next, s + 1);
                        }
                    }
                    case CLASS -> {
                        if (t.classMatches(c)) {
                            add(next, s + 1);
                        }
                    }
                    case IN_SEGMENT -> {
                        if (c != '/') {
                            add(next, s);
                        }
                    }
                    case ANYTHING -> add(next, s);
                    case SEGMENTS -> {
                        // Reached only through add(), which puts the inner state in instead.
                    }
                }
            }
            states = next;
        }
        return states.get(n);
    }

    /** Sets {@code i} and what it reaches without a character: past stars, into or past SEGMENTS. */
    private void add(BitSet states, int i) {
        int n = tokens.length;
        while (i < n && !states.get(i)) {
            states.set(i);
            Token.Kind kind = tokens[i].kind();
            if (kind == Token.Kind.SEGMENTS) {
                states.set(n + 1 + i);
            } else if (kind != Token.Kind.IN_SEGMENT && kind != Token.Kind.ANYTHING) {
                return;
            }
            i++;
        }
        if (i == n) {
            states.set(n);
        }
    }
}
