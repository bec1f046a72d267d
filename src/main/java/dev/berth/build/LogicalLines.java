package dev.berth.build;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Dockerfile's physical lines as they stream in and hands out logical ones: parser
 * directives read off the top, comments and empty lines skipped (also inside continuations),
 * continuations joined as Docker joins them (the escape character and the line break removed,
 * nothing inserted), and the bodies of RUN, COPY and ADD heredocs collected after their line.
 * The whole file is capped at {@link #MAX_CHARS}, so a hostile stream cannot grow a line forever.
 */
final class LogicalLines {

    static final int MAX_CHARS = 4 * 1024 * 1024;

    private static final Pattern DIRECTIVE = Pattern.compile("^#[ \\t]*([a-zA-Z][a-zA-Z0-9]*)[ \\t]*=[ \\t]*(.+?)[ \\t]*$");
    private static final Set<String> DIRECTIVES = Set.of("escape", "syntax", "check");
    private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("RUN", "COPY", "ADD");
    private static final Pattern HEREDOC = Pattern.compile("^(\\d*)<<(-?)(.+)$");

    /** One instruction's text (continuations joined) and the heredocs that followed it. */
    record Line(int number, String text, List<Heredoc> heredocs) {
    }

    private final Reader in;
    private final String file;
    private final List<String> notes;
    private char escape = '\\';
    private int physical;
    private long charsRead;
    private boolean eof;
    private String pushedBack;

    LogicalLines(Reader in, String file, List<String> notes) {
        this.in = in;
        this.file = file;
        this.notes = notes;
        readDirectives();
    }

    char escape() {
        return escape;
    }

    /** The next logical line, or null at the end of the file. */
    Line next() {
        String raw;
        while ((raw = physicalLine()) != null) {
            String text = raw.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int start = physical;
            StringBuilder joined = new StringBuilder();
            boolean more = appendContinued(joined, text);
            while (more) {
                String cont = physicalLine();
                if (cont == null) {
                    break;
                }
                String stripped = cont.strip();
                if (stripped.startsWith("#") || stripped.isEmpty()) {
                    continue;
                }
                more = appendContinued(joined, stripTrailing(cont));
            }
            String line = joined.toString().strip();
            return new Line(start, line, heredocs(start, line));
        }
        return null;
    }

    private boolean appendContinued(StringBuilder joined, String text) {
        String t = stripTrailing(text);
        if (!t.isEmpty() && t.charAt(t.length() - 1) == escape) {
            joined.append(t, 0, t.length() - 1);
            return true;
        }
        joined.append(t);
        return false;
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(0, end);
    }

    private void readDirectives() {
        Set<String> seen = new java.util.HashSet<>();
        String raw;
        while ((raw = physicalLine()) != null) {
            if (physical == 1 && raw.startsWith("\uFEFF")) {
                raw = raw.substring(1);
            }
            Matcher m = DIRECTIVE.matcher(raw);
            String name = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
            if (name == null || !DIRECTIVES.contains(name)) {
                pushedBack = raw;
                return;
            }
            if (!seen.add(name)) {
                throw new DockerfileException(file, physical, "only one " + name + " parser directive can be used");
            }
            String value = m.group(2);
            if (name.equals("escape")) {
                if (!value.equals("\\") && !value.equals("`")) {
                    throw new DockerfileException(file, physical, "invalid escape token " + value + ": expected ` or \\");
                }
                escape = value.charAt(0);
            } else {
                notes.add(file + ":" + physical + ": note: " + name + " directive ignored: berth builds with its own frontend (" + value + ")");
            }
        }
    }

    /** The heredocs of a RUN, COPY or ADD line (not of its exec form), with their bodies read. */
    private List<Heredoc> heredocs(int start, String line) {
        String[] parts = line.split("[ \\t]+", 2);
        if (parts.length < 2 || !HEREDOC_INSTRUCTIONS.contains(parts[0].toUpperCase(Locale.ROOT))) {
            return List.of();
        }
        List<Heredoc> found = new ArrayList<>();
        for (String word : Words.split(parts[1], escape)) {
            if (word.startsWith("[")) {
                break;
            }
            Matcher m = HEREDOC.matcher(word);
            if (!m.matches()) {
                continue;
            }
            String name = m.group(3);
            boolean quoted = name.indexOf('"') >= 0 || name.indexOf('\'') >= 0;
            name = name.replace("\"", "").replace("'", "");
            if (name.isEmpty() || name.indexOf('<') >= 0) {
                continue;
            }
            boolean chomp = !m.group(2).isEmpty();
            int fd = m.group(1).isEmpty() ? 0 : Integer.parseInt(m.group(1).length() > 3 ? "999" : m.group(1));
            found.add(new Heredoc(name, body(start, name, chomp), !quoted, chomp, fd));
        }
        return found;
    }

    private String body(int start, String name, boolean chomp) {
        StringBuilder content = new StringBuilder();
        String raw;
        while ((raw = physicalLine()) != null) {
            String l = chomp ? raw.replaceFirst("^\\t+", "") : raw;
            if (l.equals(name)) {
                return content.toString();
            }
            content.append(l).append('\n');
        }
        throw new DockerfileException(file, start, "unterminated heredoc " + name + ": expected a line " + name);
    }

    /** The next physical line without its line break (a trailing CR dropped too), or null at the end. */
    private String physicalLine() {
        if (pushedBack != null) {
            String l = pushedBack;
            pushedBack = null;
            return l;
        }
        if (eof) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) != -1) {
                if (++charsRead > MAX_CHARS) {
                    throw new DockerfileException(file, physical + 1, "refused: the file is larger than " + MAX_CHARS + " characters");
                }
                if (c == '\n') {
                    break;
                }
                b.append((char) c);
            }
            if (c == -1) {
                eof = true;
                if (b.isEmpty()) {
                    return null;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        physical++;
        int len = b.length();
        if (len > 0 && b.charAt(len - 1) == '\r') {
            b.setLength(len - 1);
        }
        return b.toString();
    }
}
