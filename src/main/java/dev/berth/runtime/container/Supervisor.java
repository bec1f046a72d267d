package dev.berth.runtime.container;

import dev.berth.runtime.oci.OciRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A detached container's supervisor (what conmon is to podman): runs the OCI runtime with the
 * container's stdout and stderr piped into its {@link JsonLog}, records {@code running} with the
 * init's pid once the runtime wrote its pid file, waits, lets go of the container's resources and
 * records the exit code, all through {@link ContainerStateFile}. It runs in a session of its own
 * with its own stdio on /dev/null, so it outlives the {@code run -d} that started it.
 */
public final class Supervisor {

    static final String PID_FILE = "supervisor.pid";
    static final String INIT_PID = "init.pid";
    static final String RUNTIME_LOG = "runtime.log";
    /** The runtime's reason, one line, when the container could not start. */
    static final String START_ERROR = "start-error";
    /** Present once the user stopped the container, until it is started again. */
    static final String STOPPED = "stopped-by-user";

    private Supervisor() {
    }

    /**
     * Supervises container {@code id} under {@code root} until it exits and its restart policy
     * (the record's) does not start it again; {@code remove}: then remove it (--rm). Between runs
     * only the runtime's record of it goes: its root stays mounted, its network namespace stays.
     */
    public static void supervise(Path root, String id, boolean remove) throws IOException, InterruptedException {
        Path dir = root.toAbsolutePath().normalize().resolve("containers").resolve(id);
        ContainerRecord record = ContainerRecord.in(dir).orElseThrow(() -> new IllegalArgumentException("No such container: " + id));
        ContainerStateFile state = ContainerStateFile.read(dir).orElseThrow(() -> new IllegalStateException("container " + id + " has no state"));
        Files.writeString(dir.resolve(PID_FILE), Long.toString(ProcessHandle.current().pid()));
        OciRuntime runtime = OciRuntime.select(record.runtime(), root.resolve("state"), new PrintWriter(Writer.nullWriter()));
        Files.deleteIfExists(dir.resolve(START_ERROR));
        Run run = runOnce(runtime, dir, id, state);
        while (run.started() && record.restartPolicy().restarts(run.code(), run.state().restartCount()) && !stoppedByUser(dir)) {
            runtime.delete(id); // the runtime's record only, so the id can run again
            ContainerStateFile waiting = run.state().exitedToRestart(run.code(), Instant.now());
            waiting.write(dir);
            Thread.sleep(RestartPolicy.delay(waiting.restartCount()).toMillis());
            if (stoppedByUser(dir)) {
                run = new Run(true, run.code(), waiting.notRestarting());
                run.state().write(dir);
                break;
            }
            run = runOnce(runtime, dir, id, waiting);
        }
        ContainerTeardown.release(root, id, runtime);
        if (!run.started()) {
            Files.writeString(dir.resolve(START_ERROR), startError(dir.resolve(RUNTIME_LOG), run.code()) + "\n");
        }
        state = run.state();
        if (!run.started()) {
            state = state.startFailed(run.code(), Instant.now());
        } else if (state.state() == ContainerState.RUNNING) {
            state = state.exited(run.code(), Instant.now());
        }
        state.write(dir);
        if (remove) {
            ContainerTeardown.remove(root, id);
        }
    }

    /** One run of the container: whether its process started, the runtime's exit code, and the state as recorded. */
    private record Run(boolean started, int code, ContainerStateFile state) {
    }

    private static Run runOnce(OciRuntime runtime, Path dir, String id, ContainerStateFile state)
            throws IOException, InterruptedException {
        Path initPid = dir.resolve(INIT_PID);
        Files.deleteIfExists(initPid);
        Process p = runtime.startSupervised(id, dir, initPid, dir.resolve(RUNTIME_LOG));
        boolean started = false;
        int code;
        try (JsonLog log = JsonLog.append(dir.resolve(JsonLog.FILE))) {
            Thread out = pump(log, p.getInputStream(), "stdout");
            Thread err = pump(log, p.getErrorStream(), "stderr");
            while (p.isAlive() && !Files.exists(initPid)) {
                Thread.sleep(5);
            }
            String pid = Files.exists(initPid) ? Files.readString(initPid).strip() : "";
            if (!pid.isEmpty()) {
                state = state.restarting() ? state.restarted(Long.parseLong(pid), Instant.now())
                        : state.started(Long.parseLong(pid), Instant.now());
                state.write(dir);
                started = true;
                if (state.restartCount() > 0 && stoppedByUser(dir)) {
                    runtime.kill(id, "SIGKILL"); // a stop that came while it was being restarted
                }
            }
            code = p.waitFor();
            // The pipes close when the container's last process is gone (its init's exit kills the rest).
            out.join(TimeUnit.SECONDS.toMillis(10));
            err.join(TimeUnit.SECONDS.toMillis(10));
        }
        return new Run(started, code, state);
    }

    /** {@code stop} (and {@code rm -f}) leave this mark before they signal, so no policy undoes them; {@code start} clears it. */
    static boolean stoppedByUser(Path dir) {
        return Files.exists(dir.resolve(STOPPED));
    }

    private static Thread pump(JsonLog log, InputStream in, String stream) {
        Thread t = new Thread(() -> {
            try (in) {
                log.pump(in, stream);
            } catch (IOException e) {
                // The log's disk is full or gone: the container runs on; nothing else to tell it to.
            }
        }, "log-" + stream);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The runtime's last error message (its --log-format json lines), or its exit code. */
    static String startError(Path runtimeLog, int code) throws IOException {
        String message = null;
        if (Files.exists(runtimeLog)) {
            List<String> lines = Files.readAllLines(runtimeLog, StandardCharsets.UTF_8);
            for (String line : lines) {
                try {
                    var n = tools.jackson.databind.json.JsonMapper.builder().build().readTree(line);
                    if ("error".equals(n.path("level").asString()) && !n.path("msg").asString().isEmpty()) {
                        message = n.path("msg").asString();
                    }
                } catch (tools.jackson.core.JacksonException notJson) {
                    message = line.strip().isEmpty() ? message : line.strip();
                }
            }
        }
        return message == null ? "the container did not start (runtime exit code " + code + ")"
                : message.lines().findFirst().orElse(message);
    }
}
