package dev.berth.runtime.container;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ROOT/containers/<id>/state.json}: where a container is in its {@link ContainerState}
 * machine, its init's pid, when it was created, started and finished, and its exit code. Kept apart
 * from {@link ContainerRecord} (what the container is) because it changes over the container's
 * life; written whole to a temporary file, fsynced and renamed, so a reader sees the old state or
 * the new one, never half, even when the writer is killed.
 *
 * @param pid      the container's init as the host sees it, 0 when it is not running
 * @param started  null until it first ran
 * @param finished null until it first exited
 * @param exitCode null while it runs, or when nobody saw it exit (its supervisor was killed)
 * @param restartCount how often its supervisor restarted it ({@code --restart}) since it was last started by hand
 * @param restarting   exited, and its supervisor is about to restart it
 */
public record ContainerStateFile(ContainerState state, long pid, Instant created, Instant started, Instant finished,
                                 Integer exitCode, int restartCount, boolean restarting) {

    static final String FILE = "state.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ContainerStateFile(ContainerState state, long pid, Instant created, Instant started, Instant finished, Integer exitCode) {
        this(state, pid, created, started, finished, exitCode, 0, false);
    }

    public static ContainerStateFile created(Instant now) {
        return new ContainerStateFile(ContainerState.CREATED, 0, now, null, null, null);
    }

    /** Started by hand ({@code run -d}, {@code start}): the restart count begins again, as docker's does. */
    public ContainerStateFile started(long initPid, Instant now) {
        return new ContainerStateFile(state.next(ContainerState.RUNNING), initPid, created, now, finished, null, 0, false);
    }

    /** Started again by its supervisor's restart policy. */
    public ContainerStateFile restarted(long initPid, Instant now) {
        if (!restarting) {
            throw new IllegalStateException("a container that is not restarting cannot be restarted by its policy");
        }
        return new ContainerStateFile(state.next(ContainerState.RUNNING), initPid, created, now, finished, null,
                restartCount + 1, false);
    }

    public ContainerStateFile exited(Integer code, Instant now) {
        return new ContainerStateFile(state.next(ContainerState.EXITED), 0, created, started, now, code, restartCount, false);
    }

    /** Exited, with its supervisor about to start it again ({@code --restart}). */
    public ContainerStateFile exitedToRestart(int code, Instant now) {
        return new ContainerStateFile(state.next(ContainerState.EXITED), 0, created, started, now, code, restartCount, true);
    }

    /** A restart that will not happen after all (the user stopped it, or its supervisor is gone). */
    public ContainerStateFile notRestarting() {
        return new ContainerStateFile(state, pid, created, started, finished, exitCode, restartCount, false);
    }

    /** A start that never got the process running: from created, or from exited again (a {@code start} that failed). */
    public ContainerStateFile startFailed(Integer code, Instant now) {
        if (state != ContainerState.CREATED && state != ContainerState.EXITED) {
            throw new IllegalStateException("a container that is " + state.label() + " cannot fail to start");
        }
        return new ContainerStateFile(ContainerState.EXITED, 0, created, started, now, code, restartCount, false);
    }

    public ContainerStateFile removing() {
        return new ContainerStateFile(state.next(ContainerState.REMOVING), pid, created, started, finished, exitCode,
                restartCount, false);
    }

    /**
     * The state made true against what the OCI runtime knows ({@code runc state}'s status:
     * created, running, stopped, or empty when it has no such container). A container recorded as
     * running whose runtime says it stopped, or has forgotten it, exited unseen: its supervisor
     * died (kill -9, a reboot), so the exit code is unknown.
     */
    public ContainerStateFile reconciled(Optional<String> runtimeStatus, Instant now) {
        boolean alive = runtimeStatus.filter(s -> s.equals("running") || s.equals("created")).isPresent();
        if (state == ContainerState.RUNNING && !alive) {
            return exited(null, now);
        }
        return this;
    }

    /** Replaces the file in {@code containerDir} atomically and durably. */
    public void write(Path containerDir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("state", state.label()).put("pid", pid).put("created", created.toString());
        n.put("started", started == null ? null : started.toString());
        n.put("finished", finished == null ? null : finished.toString());
        n.put("exitCode", exitCode);
        n.put("restartCount", restartCount).put("restarting", restarting);
        Path tmp = containerDir.resolve(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        Files.move(tmp, containerDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(containerDir, StandardOpenOption.READ)) {
            dir.force(true); // the rename itself survives a crash
        }
    }

    /** The state in {@code containerDir}; empty while the container is being made or removed. */
    public static Optional<ContainerStateFile> read(Path containerDir) throws IOException {
        Path file = containerDir.resolve(FILE);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            JsonNode code = n.path("exitCode");
            return Optional.of(new ContainerStateFile(ContainerState.parse(n.path("state").asString()), n.path("pid").asLong(),
                    Instant.parse(n.path("created").asString()), instant(n.path("started")), instant(n.path("finished")),
                    code.isIntegralNumber() ? Integer.valueOf(code.asInt()) : null, n.path("restartCount").asInt(),
                    n.path("restarting").asBoolean()));
        } catch (JacksonException | IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalStateException("unreadable container state " + file + ": " + e.getMessage(), e);
        }
    }

    private static Instant instant(JsonNode n) {
        return n.isString() ? Instant.parse(n.asString()) : null;
    }
}
