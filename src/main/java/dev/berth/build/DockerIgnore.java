package dev.berth.build;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A .dockerignore: one pattern a line, lines starting with {@code #} are comments, {@code !}
 * re-includes, later lines win; patterns are cleaned as Go's filepath.Clean does (a leading
 * {@code /} or {@code ./} dropped) and match a path or any of its parent directories, with
 * {@link PathGlob}'s syntax and {@code **}.
 */
final class DockerIgnore {

    static final int MAX_CHARS = 1024 * 1024;
    static final DockerIgnore NONE = new DockerIgnore(List.of());

    private record Rule(String pattern, Glob glob, boolean exclusion) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** {@code DOCKERFILE.dockerignore} next to the Dockerfile if there is one, else the context's .dockerignore, else none. */
    static DockerIgnore forBuild(Path context, Path dockerfile) {
        Path specific = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
        Path file = Files.isRegularFile(specific) ? specific : context.resolve(".dockerignore");
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            StringBuilder text = new StringBuilder();
            char[] buf = new char[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                text.append(buf, 0, n);
                if (text.length() > MAX_CHARS) {
                    throw new DockerfileException(file.toString(), 0, "refused: larger than " + MAX_CHARS + " characters");
                }
            }
            return parse(text.toString(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    static DockerIgnore parse(String text, String file) {
        List<Rule> rules = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = n == 0 && lines[0].startsWith("\uFEFF") ? lines[0].substring(1) : lines[n];
            if (line.startsWith("#")) {
                continue;
            }
            String pattern = line.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            boolean exclusion = pattern.startsWith("!");
            if (exclusion) {
                pattern = pattern.substring(1).strip();
            }
            if (!pattern.isEmpty()) {
                pattern = PathGlob.clean(pattern);
                if (pattern.length() > 1 && pattern.startsWith("/")) {
                    pattern = pattern.substring(1);
                }
            }
            try {
                rules.add(new Rule(pattern, PathGlob.compile(pattern, true), exclusion));
            } catch (IllegalArgumentException e) {
                throw new DockerfileException(file, n + 1, e.getMessage());
            }
        }
        return new DockerIgnore(rules);
    }

    /** Whether the context-relative, slash-separated {@code path} is left out of the build. */
    boolean excludes(String path) {
        String file = PathGlob.clean(path);
        List<String> parents = new ArrayList<>();
        String[] segs = file.split("/");
        for (int i = 1; i < segs.length; i++) {
            parents.add(String.join("/", java.util.Arrays.copyOf(segs, i)));
        }
        boolean matched = false;
        for (Rule rule : rules) {
            if (rule.exclusion() != matched) {
                continue;
            }
            boolean match = rule.glob().matches(file) || parents.stream().anyMatch(rule.glob()::matches);
            if (match) {
                matched = !rule.exclusion();
            }
        }
        return matched;
    }

    /** Whether a {@code !} line could re-include something below an excluded directory. */
    boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exclusion);
    }
}
