package dev.berth.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One external command: an argument list (never a shell string), an environment, a timeout.
 * Stdout is kept as bytes (some tools print exactly what the registry served), stderr as text,
 * and both go into the message of any failure.
 */
final class Exec {

    private static final int MESSAGE_LIMIT = 16_000;

    private final List<String> command;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Duration timeout = Duration.ofMinutes(2);
    private Path directory;

    private Exec(List<String> command) {
        this.command = List.copyOf(command);
    }

    static Exec of(String... command) {
        return new Exec(List.of(command));
    }

    static Exec of(List<String> command) {
        return new Exec(command);
    }

    Exec env(Map<String, String> variables) {
        environment.putAll(variables);
        return this;
    }

    /** The working directory (default: this JVM's). */
    Exec directory(Path value) {
        this.directory = value;
        return this;
    }

    Exec timeout(Duration value) {
        this.timeout = value;
        return this;
    }

    /** Runs the command and fails the test unless it exits with 0. */
    Result succeed() {
        return run().requireSuccess();
    }

    /** Runs the command; a timeout fails the test, any exit code is returned. */
    Result run() {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("berth-exec-", ".out");
            err = Files.createTempFile("berth-exec-", ".err");
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(environment);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            long started = System.nanoTime();
            Process process = builder.start();
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Result result = new Result(command, exited ? process.exitValue() : -1, Files.readAllBytes(out),
                    Files.readString(err, StandardCharsets.UTF_8));
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("[exec] %s -> %s in %d ms%n", String.join(" ", command), exited ? result.exitCode() : "TIMEOUT", millis);
            if (!exited) {
                throw new AssertionError("timed out after " + timeout + ": " + result.describe());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** The last non-blank line of some output: where buildah and podman print an image id. */
    static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].trim();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file; the OS cleans up
            }
        }
    }

    /** What a command did. */
    record Result(List<String> command, int exitCode, byte[] stdoutBytes, String stderr) {

        String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }

        boolean succeeded() {
            return exitCode == 0;
        }

        Result requireSuccess() {
            if (!succeeded()) {
                throw new AssertionError(describe());
            }
            return this;
        }

        /** The command, its exit code and its output, for assertion messages. */
        String describe() {
            return "`" + String.join(" ", command) + "` exited with " + exitCode
                    + "\n--- stdout ---\n" + clip(stdout()) + "\n--- stderr ---\n" + clip(stderr);
        }

        private static String clip(String text) {
            return text.length() <= MESSAGE_LIMIT ? text : "…" + text.substring(text.length() - MESSAGE_LIMIT);
        }
    }
}
