package dev.berth.runtime.container;

import dev.berth.oci.Digest;
import dev.berth.runtime.network.ContainerNetwork;
import dev.berth.runtime.network.LoopbackNamespace;
import dev.berth.runtime.network.NetworkAttachment;
import dev.berth.runtime.snapshot.OverlayRootfs;
import dev.berth.runtime.snapshot.SnapshotStore;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code berth start}: a container that exited (or was only created) runs again from its own
 * bundle, under a new supervisor, on the root it had (its overlay's upper layer is kept, so are
 * its files) and with its log appended to. What the last exit let go is made again first: the
 * overlay mount and the network namespace (with its place on its network). A container that runs already is left as it is.
 */
public final class ContainerStart {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Containers containers;
    private final SnapshotStore snapshots;

    public ContainerStart(Containers containers, SnapshotStore snapshots) {
        this.containers = containers;
        this.snapshots = snapshots;
    }

    /**
     * @param supervisor the supervisor's command line for a container id
     * @return false when it was running already (or its supervisor is about to restart it)
     * @throws IllegalStateException with the runtime's one-line reason when it could not start
     */
    public boolean start(String id, Function<String, List<String>> supervisor) throws IOException, InterruptedException {
        Containers.Container c = containers.get(id).orElseThrow(() -> new IllegalArgumentException("No such container: " + id));
        Files.deleteIfExists(c.dir().resolve(Supervisor.STOPPED)); // started by hand: its restart policy applies again
        if (c.running() || c.state().restarting()) {
            return false;
        }
        // A supervisor that recorded the exit may still be on its way out: the next one waits for it.
        containers.awaitSupervisorGone(id, java.time.Duration.ofSeconds(30));
        if (Containers.supervisorAlive(c.dir())) {
            throw new IllegalStateException("cannot start container " + c.record().name() + ": its last supervisor still runs");
        }
        if (c.state().state() == ContainerState.REMOVING) {
            throw new IllegalStateException("cannot start container " + c.record().name() + ": it is being removed");
        }
        Path dir = c.dir();
        Files.deleteIfExists(dir.resolve(Supervisor.START_ERROR));
        restore(c);
        ContainerStateFile before = c.state();
        Process p = new ProcessBuilder(supervisor.apply(id)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<ContainerStateFile> now = ContainerStateFile.read(dir);
            if (now.isEmpty()) {
                return true; // removed meanwhile
            }
            Path error = dir.resolve(Supervisor.START_ERROR);
            if (Files.exists(error)) {
                throw new IllegalStateException(Files.readString(error).strip());
            }
            ContainerStateFile s = now.get();
            // Ran: a new start time; or already ran and exited: a new finish time.
            if (!Objects.equals(s.started(), before.started()) || !Objects.equals(s.finished(), before.finished())) {
                return true;
            }
            if (!p.isAlive() && p.exitValue() != 0) {
                throw new IllegalStateException("the supervisor of container " + id.substring(0, 12) + " exited with "
                        + p.exitValue() + " before the container started");
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("container " + id.substring(0, 12) + " did not start within 60 s");
    }

    /** The overlay mount (when the root is one: it has an upper layer) and the network namespace its bundle names. */
    private void restore(Containers.Container c) throws IOException {
        Path dir = c.dir();
        Path rootfs = dir.resolve("rootfs");
        if (Files.isDirectory(dir.resolve("upper")) && !OverlayRootfs.isMounted(rootfs)) {
            List<Path> lowers = new ArrayList<>();
            for (Digest chainId : c.record().snapshots()) {
                if (!snapshots.has(chainId)) {
                    throw new IllegalStateException("cannot start container " + c.record().name() + ": its image's layer "
                            + chainId + " is gone");
                }
                lowers.add(snapshots.path(chainId));
            }
            OverlayRootfs.mount(lowers, dir);
        }
        JsonNode namespaces = JSON.readTree(Files.readAllBytes(dir.resolve("config.json"))).path("linux").path("namespaces");
        for (JsonNode ns : namespaces) {
            String path = ns.path("path").asString();
            if ("network".equals(ns.path("type").asString()) && path.startsWith("/run/netns/") && !Files.exists(Path.of(path))) {
                Optional<NetworkAttachment> network = NetworkAttachment.in(dir);
                if (network.isPresent()) {
                    String hostname = Files.readString(dir.resolve("hostname")).strip();
                    ContainerNetwork.attach(containers.root(), c.id(), c.record().name(), hostname,
                            Path.of(path).getFileName().toString(), network.get());
                } else {
                    LoopbackNamespace.create(Path.of(path).getFileName().toString());
                }
            }
        }
    }
}
