package dev.berth.runtime.sys;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a helper program from an argument list (never a shell) and fails with its output when it fails. */
public final class Processes {

    private Processes() {
    }

    /** A program on PATH, or in the usual system directories when PATH lacks them (sudo, cron). */
    public static Optional<Path> onPath(String command) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, command)).filter(Files::isExecutable).findFirst();
    }

    public static void run(String... command) throws IOException {
        output(command);
    }

    /** Runs it and returns what it printed (stdout and stderr, up to 4 MiB). */
    public static String output(String... command) throws IOException {
        String program = onPath(command[0]).map(Object::toString)
                .orElseThrow(() -> new IOException(command[0] + " is not installed"));
        List<String> argv = new ArrayList<>(List.of(command));
        argv.set(0, program);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            byte[] output = p.getInputStream().readNBytes(4 * 1024 * 1024);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8).trim());
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        }
    }
}
