package dev.berth.runtime.oci;

import dev.berth.runtime.sys.Processes;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Drives an OCI runtime binary (runc or crun) the way go-runc does: each call an argument list,
 * never a shell, with its state under a root of berth's own. {@link #run} streams the container's
 * stdio straight through (inherited descriptors: no copying, binary safe), forwards SIGINT and
 * SIGTERM to the container, and returns its exit code (128 + signal when a signal killed it).
 */
public final class OciRuntime {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final Path binary;
    private final Path stateRoot;

    OciRuntime(String name, Path binary, Path stateRoot) {
        this.name = name;
        this.binary = binary;
        this.stateRoot = stateRoot;
    }

    /**
     * The runtime to use: the one asked for ({@code runc}, {@code crun} or a path), else crun when it
     * works here, else runc. crun refuses hybrid cgroups with controllers on cgroup2; then runc is
     * used and {@code notices} says why.
     */
    public static OciRuntime select(String requested, Path stateRoot, PrintWriter notices) {
        if (requested != null && requested.contains("/")) {
            Path p = Path.of(requested);
            if (!Files.isExecutable(p)) {
                throw new IllegalArgumentException("runtime " + requested + " is not an executable file");
            }
            return new OciRuntime(p.getFileName().toString(), p, stateRoot.resolve(p.getFileName().toString()));
        }
        if (requested != null && !requested.equals("runc") && !requested.equals("crun")) {
            throw new IllegalArgumentException("unknown runtime " + requested + ": expected runc, crun or a path");
        }
        Optional<Path> crun = Processes.onPath("crun");
        Optional<Path> runc = Processes.onPath("runc");
        Optional<String> crunProblem = Cgroups.crunProblem();
        if ("runc".equals(requested)) {
            return new OciRuntime("runc", runc.orElseThrow(() -> missing("runc")), stateRoot.resolve("runc"));
        }
        if (crun.isPresent() && crunProblem.isEmpty()) {
            return new OciRuntime("crun", crun.get(), stateRoot.resolve("crun"));
        }
        if ("crun".equals(requested)) {
            if (crun.isEmpty()) {
                throw missing("crun");
            }
            if (runc.isEmpty()) {
                throw new IllegalStateException("crun cannot run containers here (" + crunProblem.get() + ") and runc is not installed");
            }
            notices.println("berth: crun cannot run containers here (" + crunProblem.get() + "); using runc");
            notices.flush();
        }
        return new OciRuntime("runc", runc.orElseThrow(() -> missing("runc or crun")), stateRoot.resolve("runc"));
    }

    private static IllegalStateException missing(String what) {
        return new IllegalStateException("no OCI runtime: " + what + " is not installed (Debian: apt-get install runc)");
    }

    public String name() {
        return name;
    }

    /** The binary; {@link #select} given it picks this runtime, with the same state directory, again. */
    public Path binary() {
        return binary;
    }

    /**
     * {@code runtime --log FILE run --pid-file PID --bundle DIR ID} for a supervisor: the container's
     * stdout and stderr are the returned process's pipes; the runtime's own messages go to
     * {@code runtimeLog} as JSON lines, and {@code pidFile} appears once the container's init exists.
     */
    public Process startSupervised(String id, Path bundle, Path pidFile, Path runtimeLog) throws IOException {
        Files.createDirectories(stateRoot);
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--root", stateRoot.toString(),
                "--log", runtimeLog.toString(), "--log-format", "json"));
        cmd.addAll(List.of("run", "--pid-file", pidFile.toString(), "--bundle", bundle.toString(), id));
        return new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** {@code runtime run --bundle DIR ID}: blocks until the container exits; returns its exit code. */
    public int run(String id, Path bundle, boolean stdin) throws IOException, InterruptedException {
        Files.createDirectories(stateRoot);
        ProcessBuilder pb = new ProcessBuilder(command("run", "--bundle", bundle.toString(), id))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(stdin ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = pb.start();
        SignalHandler forward = signal -> kill(id, "SIG" + signal.getName());
        SignalHandler previousInt = Signal.handle(new Signal("INT"), forward);
        SignalHandler previousTerm = Signal.handle(new Signal("TERM"), forward);
        try {
            return process.waitFor();
        } finally {
            Signal.handle(new Signal("INT"), previousInt);
            Signal.handle(new Signal("TERM"), previousTerm);
        }
    }

    /**
     * {@code runtime exec --process FILE ID}: another process in a running container, its stdio
     * inherited (stdin only when asked); the runtime passes SIGINT and SIGTERM on to the process.
     * Returns its exit code (the runtime's own, 255 or so, when it could not start it).
     */
    public int exec(String id, Path processJson, boolean stdin) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command("exec", "--process", processJson.toString(), id))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(stdin ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        // Ctrl-C reaches the runtime too (one process group); a SIGTERM to berth goes on to it (destroy() is SIGTERM).
        SignalHandler previousInt = Signal.handle(new Signal("INT"), signal -> { });
        SignalHandler previousTerm = Signal.handle(new Signal("TERM"), signal -> process.destroy());
        try {
            return process.waitFor();
        } finally {
            Signal.handle(new Signal("INT"), previousInt);
            Signal.handle(new Signal("TERM"), previousTerm);
        }
    }

    /**
     * {@code runtime state ID}'s status (created, running, paused, stopped), or empty when the
     * runtime keeps no such container (deleted, or its state directory gone with a reboot).
     */
    public Optional<String> state(String id) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command("state", id)).start();
        byte[] out;
        byte[] err;
        try (var stdout = p.getInputStream(); var stderr = p.getErrorStream()) {
            out = stdout.readNBytes(64 * 1024);
            err = stderr.readNBytes(64 * 1024);
        }
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(name + " state " + id + " did not finish");
        }
        if (p.exitValue() != 0) {
            String message = new String(err, StandardCharsets.UTF_8).strip();
            if (message.contains("does not exist") || message.contains("No such file")) {
                return Optional.empty();
            }
            throw new IOException(name + " state " + id + " failed: " + message.lines().findFirst().orElse(""));
        }
        String status = JSON.readTree(out).path("status").asString();
        return status.isEmpty() ? Optional.empty() : Optional.of(status);
    }

    /** Sends a signal to the container's init process; a container already gone is not an error. */
    public void kill(String id, String signal) {
        quietly(command("kill", id, signal));
    }

    /** Removes what the runtime keeps of a container, stopping it first if it still runs. */
    public void delete(String id) {
        quietly(command("delete", "--force", id));
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--root", stateRoot.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void quietly(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // Nothing to tell: the container is gone or the runtime will say so on the next call.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
