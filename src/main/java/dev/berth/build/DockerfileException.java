package dev.berth.build;

/**
 * A Dockerfile (or a .dockerignore, or a COPY source) that cannot be used, in one line that names
 * the file, the line and what was expected: {@code Dockerfile:7: unknown instruction: RUNN}.
 */
public final class DockerfileException extends RuntimeException {

    private final String file;
    private final int line;

    DockerfileException(String file, int line, String what) {
        super(file + (line > 0 ? ":" + line : "") + ": " + what.replaceAll("[\\r\\n]+", " "));
        this.file = file;
        this.line = line;
    }

    /** The file's name as the user gave it. */
    public String file() {
        return file;
    }

    /** The 1-based line the failing instruction starts on, or 0 when the failure is not at a line. */
    public int line() {
        return line;
    }
}
