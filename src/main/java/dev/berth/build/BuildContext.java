package dev.berth.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The build context: a directory and its .dockerignore. {@link #select} says which files a COPY
 * or ADD takes and where each lands: sources are cleaned and may not climb out ({@code ..}),
 * globs match one segment each, a directory gives its contents (not itself), several sources need
 * a destination ending in {@code /}, a file into such a destination keeps its name. Nothing is
 * followed: a symlink is listed as a link (also one pointing outside, whose target is never read),
 * and a source whose parent resolves outside the context is refused.
 */
final class BuildContext {

    enum Kind { FILE, DIRECTORY, SYMLINK, OTHER }

    /** One thing to copy: where it is in the context and its path in the image (absolute). */
    record Selected(String contextPath, String target, Kind kind) {
    }

    private final Path root;
    private final Path realRoot;
    private final DockerIgnore ignore;

    BuildContext(Path root, DockerIgnore ignore) {
        try {
            this.root = root;
            this.realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("build context " + root + ": " + e.getMessage(), e);
        }
        this.ignore = ignore;
    }

    /** What {@code COPY sources... destination} takes, in context-path order per source; {@code workdir} places a relative destination. */
    List<Selected> select(List<String> sources, String destination, String workdir, String file, int line) {
        String instruction = "COPY/ADD";
        if (sources.size() > 1 && !destination.endsWith("/")) {
            throw new DockerfileException(file, line, instruction + " with more than one source needs a destination that ends with /, got: " + destination);
        }
        String dest = PathGlob.clean(destination.startsWith("/") ? destination : workdir + "/" + destination);
        boolean intoDirectory = destination.endsWith("/") || destination.endsWith("/.") || destination.equals(".");
        List<Selected> out = new ArrayList<>();
        for (String source : sources) {
            List<String> matches = matches(source, file, line);
            boolean asDirectory = intoDirectory || matches.size() > 1;
            for (String match : matches) {
                Kind kind = kind(path(match));
                if (kind == Kind.DIRECTORY) {
                    walk(match, dest, out);
                } else {
                    String name = match.substring(match.lastIndexOf('/') + 1);
                    out.add(new Selected(match, asDirectory ? join(dest, name) : dest, kind));
                }
            }
        }
        return out;
    }

    /** The context paths a source names: itself, or what its glob matches, minus what .dockerignore leaves out. */
    private List<String> matches(String source, String file, int line) {
        String relative = PathGlob.clean(source.startsWith("/") ? source.substring(1) : source);
        if (relative.equals("..") || relative.startsWith("../")) {
            throw new DockerfileException(file, line, "COPY/ADD source " + source + " is outside the build context");
        }
        String cleaned = relative;
        if (cleaned.equals(".")) {
            return List.of(".");
        }
        List<String> found = new ArrayList<>();
        if (PathGlob.hasWildcards(cleaned)) {
            String[] segs = cleaned.split("/");
            glob(".", segs, 0, found);
        } else if (Files.exists(path(cleaned), LinkOption.NOFOLLOW_LINKS) && !ignore.excludes(cleaned)) {
            found.add(cleaned);
        }
        if (found.isEmpty()) {
            throw new DockerfileException(file, line, "COPY/ADD source " + source + ": not found in the build context"
                    + " (or left out by .dockerignore)");
        }
        for (String f : found) {
            insideContext(f, source, file, line);
        }
        return found;
    }

    private void glob(String dir, String[] segs, int depth, List<String> found) {
        Glob p = PathGlob.compile(segs[depth], false);
        for (String name : list(dir)) {
            String rel = dir.equals(".") ? name : dir + "/" + name;
            if (!p.matches(name) || ignore.excludes(rel) && depth == segs.length - 1) {
                continue;
            }
            if (depth == segs.length - 1) {
                found.add(rel);
            } else if (kind(path(rel)) == Kind.DIRECTORY) {
                glob(rel, segs, depth + 1, found);
            }
        }
    }

    /** A directory's contents (not itself) under {@code dest}, in name order; links listed, never followed. */
    private void walk(String dir, String dest, List<Selected> out) {
        for (String name : list(dir)) {
            String rel = dir.equals(".") ? name : dir + "/" + name;
            Kind kind = kind(path(rel));
            boolean excluded = ignore.excludes(rel);
            if (excluded && !(kind == Kind.DIRECTORY && ignore.hasExceptions())) {
                continue;
            }
            if (!excluded) {
                out.add(new Selected(rel, join(dest, name), kind));
            }
            if (kind == Kind.DIRECTORY) {
                walk(rel, join(dest, name), out);
            }
        }
    }

    private void insideContext(String rel, String source, String file, int line) {
        try {
            Path parent = path(rel).getParent();
            if (parent != null && !parent.toRealPath().startsWith(realRoot)) {
                throw new DockerfileException(file, line, "COPY/ADD source " + source + " is outside the build context (through a symlink)");
            }
        } catch (IOException e) {
            throw new DockerfileException(file, line, "COPY/ADD source " + source + ": " + e.getMessage());
        }
    }

    private List<String> list(String dir) {
        TreeMap<String, String> names = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(path(dir))) {
            entries.forEach(e -> names.put(e.getFileName().toString(), ""));
        } catch (IOException e) {
            throw new UncheckedIOException("build context " + dir + ": " + e.getMessage(), e);
        }
        return new ArrayList<>(names.keySet());
    }

    private Path path(String rel) {
        return rel.equals(".") ? root : root.resolve(rel);
    }

    private static Kind kind(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isSymbolicLink() ? Kind.SYMLINK : a.isDirectory() ? Kind.DIRECTORY : a.isRegularFile() ? Kind.FILE : Kind.OTHER;
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }

    private static String join(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }
}
