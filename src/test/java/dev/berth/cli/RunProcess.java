package dev.berth.cli;

import dev.berth.runtime.snapshot.OverlayRootfs;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code berth run} (or another command) in a process of its own, as users start it
 * ({@code target/berth run --root ROOT ...}, the launcher the build writes beside the jar; it execs
 * the JVM): exit codes, inherited stdio, signals and the environment are the real ones.
 */
record RunProcess(Process process, Path out, Path err, String what) {

    record Result(int exit, String out, String err) {
    }

    static Result run(Path root, String... args) throws Exception {
        return start(root, Map.of(), new File("/dev/null"), args).finish();
    }

    static RunProcess start(Path root, Map<String, String> env, File stdin, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("run", "--root", root.toString()));
        all.addAll(List.of(args));
        return berth(env, stdin, all);
    }

    /** Any {@code berth} command line, in a process of its own with these environment variables added. */
    static Result command(Map<String, String> env, String... args) throws Exception {
        return berth(env, new File("/dev/null"), List.of(args)).finish();
    }

    /** Any {@code berth} command line with its stdin read from {@code stdin}. */
    static Result command(File stdin, String... args) throws Exception {
        return berth(Map.of(), stdin, List.of(args)).finish();
    }

    private static RunProcess berth(Map<String, String> env, File stdin, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("berth.jar")).resolveSibling("berth").toString()));
        cmd.addAll(args);
        Path out = Files.createTempFile("berth-run-out", ".txt");
        Path err = Files.createTempFile("berth-run-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(stdin));
        // With archives (no AOT cache) the launcher runs JAVA_HOME's java: the JDK that made them.
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        return new RunProcess(pb.start(), out, err, args.get(args.size() - 1));
    }

    Result finish() throws Exception {
        try {
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("berth run " + what + " did not finish");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Unmounts every container root left under a test's runtime root, then removes the root. */
    static void removeRoot(Path root) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String mountPoint = line.split(" ")[1];
            if (mountPoint.startsWith(root.toString())) {
                OverlayRootfs.unmount(Path.of(mountPoint));
            }
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
