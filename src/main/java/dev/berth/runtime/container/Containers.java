package dev.berth.runtime.container;

import dev.berth.runtime.oci.OciRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The containers under a runtime root as the lifecycle commands see them: each one's record, its
 * state made true against the OCI runtime ({@link ContainerStateFile#reconciled}), and the command
 * line and environment its bundle runs. A reconciled state is written back only when the
 * container's supervisor is gone; while it lives, its own record of the exit wins.
 */
public final class Containers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path root;

    public Containers(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    /** One container as {@code ps} and {@code inspect} show it. */
    public record Container(ContainerRecord record, ContainerStateFile state, List<String> argv, List<String> env,
                            String workdir, Path dir) {

        public String id() {
            return record.id();
        }

        public boolean running() {
            return state.state() == ContainerState.RUNNING;
        }
    }

    /** @return the full id of what stands for a container (id, name or unique id prefix) */
    public String resolve(String idOrName) throws IOException {
        return new ContainerLookup(root).resolve(idOrName);
    }

    public Path dir(String id) {
        return root.resolve("containers").resolve(id);
    }

    /** Every container, newest first, as {@code ps -a} lists them. */
    public List<Container> list() throws IOException, InterruptedException {
        List<Container> out = new ArrayList<>();
        for (ContainerRecord r : ContainerRecord.list(root)) {
            Optional<Container> c = get(r.id());
            c.ifPresent(out::add);
        }
        out.sort(Comparator.comparing((Container c) -> c.state().created()).reversed());
        return out;
    }

    /** The container with this full id; empty while it is being made or removed. */
    public Optional<Container> get(String id) throws IOException, InterruptedException {
        Path dir = dir(id);
        Optional<ContainerRecord> record = ContainerRecord.in(dir);
        if (record.isEmpty()) {
            return Optional.empty();
        }
        Optional<ContainerStateFile> state = current(record.get());
        if (state.isEmpty()) {
            return Optional.empty();
        }
        List<String> argv = new ArrayList<>();
        List<String> env = new ArrayList<>();
        String cwd = "";
        Path config = dir.resolve("config.json");
        if (Files.exists(config)) {
            JsonNode process = JSON.readTree(Files.readAllBytes(config)).path("process");
            process.path("args").forEach(a -> argv.add(a.asString()));
            process.path("env").forEach(e -> env.add(e.asString()));
            cwd = process.path("cwd").asString();
        }
        return Optional.of(new Container(record.get(), state.get(), argv, env, cwd, dir));
    }

    /** The runtime that runs this container (the one recorded, or the default for older records). */
    public OciRuntime runtime(ContainerRecord record) {
        return OciRuntime.select(record.runtime().isEmpty() ? null : record.runtime(), root.resolve("state"),
                new PrintWriter(Writer.nullWriter()));
    }

    private Optional<ContainerStateFile> current(ContainerRecord record) throws IOException, InterruptedException {
        Path dir = dir(record.id());
        Optional<ContainerStateFile> recorded = ContainerStateFile.read(dir);
        if (recorded.isPresent() && recorded.get().restarting() && !supervisorAlive(dir)) {
            ContainerStateFile settled = recorded.get().notRestarting(); // nobody is left to restart it
            settled.write(dir);
            return Optional.of(settled);
        }
        if (recorded.isEmpty() || recorded.get().state() != ContainerState.RUNNING) {
            return recorded;
        }
        ContainerStateFile reconciled = recorded.get().reconciled(runtime(record).state(record.id()), Instant.now());
        if (reconciled.state() != ContainerState.RUNNING && !supervisorAlive(dir)) {
            // Nobody else will record this exit, nor let go of what it held: its supervisor died (kill -9, a reboot).
            ContainerTeardown.release(root, record.id(), runtime(record));
            reconciled.write(dir);
        }
        return Optional.of(reconciled);
    }

    /** True while the process named in the container's supervisor.pid runs and is its supervisor. */
    static boolean supervisorAlive(Path dir) throws IOException {
        Path file = dir.resolve(Supervisor.PID_FILE);
        if (!Files.exists(file)) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(file).strip());
        } catch (NumberFormatException e) {
            return false;
        }
        String id = dir.getFileName().toString();
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(id) || Arrays.asList(a).contains("run")).orElse(true))
                .isPresent();
    }

    /** Waits until the container no longer runs; its state then, or the running one after {@code timeout}. */
    public Container awaitExit(String id, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Container> c = get(id);
            if (c.isEmpty()) {
                throw new IllegalArgumentException("No such container: " + id);
            }
            // An exit code is the supervisor's last word; without one, wait until it is gone too.
            // A container about to be restarted by its policy has not exited for good.
            if (!c.get().running() && !c.get().state().restarting()
                    && (c.get().state().exitCode() != null || !supervisorAlive(c.get().dir()))) {
                return c.get();
            }
            if (System.nanoTime() - deadline > 0) {
                return c.get();
            }
            Thread.sleep(50);
        }
    }

    /** Waits (up to {@code timeout}) until the container's supervisor has let go of it, so it may be started again. */
    public void awaitSupervisorGone(String id, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (supervisorAlive(dir(id)) && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
    }

    /**
     * {@code stop}: the image's StopSignal (else SIGTERM), then SIGKILL once {@code timeout} passed;
     * the supervisor records 137 then. A container that does not run is left as it is.
     */
    public Container stop(String id, Duration timeout) throws IOException, InterruptedException {
        Container c = get(id).orElseThrow(() -> new IllegalArgumentException("No such container: " + id));
        if (!c.running() && !c.state().restarting()) {
            return c;
        }
        markStopped(c);
        if (!c.running()) {
            return awaitExit(id, Duration.ofSeconds(30)); // its supervisor sees the mark and does not restart it
        }
        OciRuntime oci = runtime(c.record());
        oci.kill(id, c.record().stopSignal().isEmpty() ? "SIGTERM" : c.record().stopSignal());
        c = awaitExit(id, timeout);
        if (c.running()) {
            oci.kill(id, "SIGKILL");
            c = awaitExit(id, Duration.ofSeconds(30));
        }
        if (c.running()) {
            throw new IllegalStateException("container " + id.substring(0, 12) + " still runs after SIGKILL");
        }
        return c;
    }

    /** What {@code stop} leaves for the container's supervisor: its restart policy must not undo the stop. */
    private static void markStopped(Container c) throws IOException {
        Files.writeString(c.dir().resolve(Supervisor.STOPPED), java.time.Instant.now() + "\n");
    }

    /** {@code kill -s SIGNAL}: refused for a container that does not run, as docker refuses it. */
    public void kill(String id, String signal) throws IOException, InterruptedException {
        Container c = get(id).orElseThrow(() -> new IllegalArgumentException("No such container: " + id));
        if (!c.running()) {
            throw new IllegalStateException("cannot kill container " + c.record().name() + ": container " + id.substring(0, 12)
                    + " is not running");
        }
        runtime(c.record()).kill(id, signal);
    }

    /**
     * {@code rm}: a running container is refused unless {@code force}, which kills it first; then
     * its runtime state, mounts, name and directory go.
     */
    public void remove(String id, boolean force) throws IOException, InterruptedException {
        Container c = get(id).orElseThrow(() -> new IllegalArgumentException("No such container: " + id));
        boolean live = c.running() || c.state().restarting();
        if (live && !force) {
            throw new IllegalStateException("cannot remove container " + c.record().name()
                    + ": container is running: stop the container before removing or force remove (-f)");
        }
        if (live) {
            markStopped(c);
            if (c.running()) {
                runtime(c.record()).kill(id, "SIGKILL");
            }
            c = awaitExit(id, Duration.ofSeconds(30));
        }
        c.state().removing().write(c.dir());
        ContainerTeardown.release(root, id, runtime(c.record()));
        ContainerTeardown.remove(root, id);
    }

    /**
     * What docker calls a container's SizeRw: the bytes of its own changes (the overlay's upper
     * directory, or the copied root with the vfs driver), every non-directory once per inode.
     */
    public long writableSize(String id) throws IOException {
        Path dir = dir(id);
        Path own = Files.isDirectory(dir.resolve("upper")) ? dir.resolve("upper") : dir.resolve("rootfs");
        if (!Files.isDirectory(own, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        Set<Object> seen = new HashSet<>();
        long total = 0;
        try (Stream<Path> tree = Files.walk(own)) {
            for (Path p : tree.toList()) {
                var attrs = Files.readAttributes(p, BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (!attrs.isDirectory() && seen.add(attrs.fileKey())) {
                    total += attrs.size();
                }
            }
        }
        return total;
    }
}
