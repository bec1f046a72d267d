package dev.berth.runtime.container;

import dev.berth.content.ContentStore;
import dev.berth.oci.ImageConfig;
import dev.berth.runtime.bundle.Bundle;
import dev.berth.runtime.bundle.MountTarget;
import dev.berth.runtime.bundle.RunOptions;
import dev.berth.runtime.bundle.Volume;
import dev.berth.runtime.image.ImageRecord;
import dev.berth.runtime.network.ContainerNetwork;
import dev.berth.runtime.network.LoopbackNamespace;
import dev.berth.runtime.network.NetworkAttachment;
import dev.berth.runtime.oci.OciRuntime;
import dev.berth.runtime.snapshot.CopiedRootfs;
import dev.berth.runtime.snapshot.OverlayRootfs;
import dev.berth.runtime.snapshot.SnapshotStore;
import dev.berth.runtime.volume.ContainerMounts;
import dev.berth.runtime.volume.Volumes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code berth run}, start to end: snapshots → overlay root (or a copy, {@link StorageDriver}) →
 * bundle → network namespace (on a bridge network: {@link ContainerNetwork}) → runtime, then everything undone again (the container's own directory
 * too with {@code --rm}). A container lives in {@code ROOT/containers/<id>}, described by its
 * {@link ContainerRecord}; {@code ROOT/names/<name>} links a name to it.
 */
public final class ContainerRunner {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    private static final int MAX_CONFIG_BYTES = 8 * 1024 * 1024;

    private final Path root;
    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final StorageDriver storage;
    private final PrintWriter notices;

    /**
     * @param storage how to make the container's root; null: overlay, or a copy where overlay cannot be mounted
     * @param notices where to say that the copy is used instead of overlay
     */
    public ContainerRunner(Path root, ContentStore content, SnapshotStore snapshots, StorageDriver storage, PrintWriter notices) {
        this.root = root.toAbsolutePath().normalize();
        this.content = content;
        this.snapshots = snapshots;
        this.storage = storage;
        this.notices = notices;
    }

    /** Runs the container in the foreground; returns its exit code. */
    public int run(ImageRecord image, RunOptions options, NetworkAttachment network, String name, boolean remove, OciRuntime runtime)
            throws IOException, InterruptedException {
        String id = prepare(image, options, network, name, runtime, RestartPolicy.NO);
        Path dir = root.resolve("containers").resolve(id);
        ContainerStateFile state = ContainerStateFile.read(dir).orElseThrow();
        try {
            Files.writeString(dir.resolve(Supervisor.PID_FILE), Long.toString(ProcessHandle.current().pid()));
            state = state.started(0, java.time.Instant.now());
            state.write(dir);
            int code = runtime.run(id, dir, options.interactive());
            state = state.exited(code, java.time.Instant.now());
            return code;
        } finally {
            ContainerTeardown.release(root, id, runtime);
            if (state.state() == ContainerState.RUNNING) {
                state = state.exited(null, java.time.Instant.now());
            }
            state.write(dir);
            if (remove) {
                ContainerTeardown.remove(root, id);
            }
        }
    }

    /**
     * {@code run -d}: the container made ready here, then started by its supervisor (a process of
     * its own, started by {@code supervisor}, that outlives this one). Returns the id once the
     * container runs, or once it already ran and exited.
     *
     * @param restart    what its supervisor does when it exits
     * @param supervisor the supervisor's command line for a container id
     * @throws IllegalStateException with the runtime's one-line reason when it could not start
     */
    public String runDetached(ImageRecord image, RunOptions options, NetworkAttachment network, String name, OciRuntime runtime,
                              RestartPolicy restart, java.util.function.Function<String, List<String>> supervisor)
            throws IOException, InterruptedException {
        String id = prepare(image, options, network, name, runtime, restart);
        Path dir = root.resolve("containers").resolve(id);
        Process p = new ProcessBuilder(supervisor.apply(id)).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!Files.isDirectory(dir)) {
                return id; // ran, exited and was removed (--rm) already
            }
            java.util.Optional<ContainerStateFile> state = ContainerStateFile.read(dir);
            if (state.isPresent() && state.get().state() != ContainerState.CREATED) {
                Path error = dir.resolve(Supervisor.START_ERROR);
                if (Files.exists(error)) {
                    throw new IllegalStateException(Files.readString(error).strip());
                }
                return id;
            }
            if (!p.isAlive() && p.exitValue() != 0) {
                throw new IllegalStateException("the supervisor of container " + id.substring(0, 12) + " exited with " + p.exitValue()
                        + " before the container started");
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("container " + id.substring(0, 12) + " did not start within 60 s");
    }

    /**
     * Everything up to the runtime: id, name, record, state {@code created}, root, network
     * namespace and bundle; all of it undone again when a step fails.
     */
    private String prepare(ImageRecord image, RunOptions options, NetworkAttachment network, String name, OciRuntime runtime,
                           RestartPolicy restart)
            throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        String shortId = id.substring(0, 12);
        String containerName = name == null ? "berth-" + shortId : name;
        claimName(containerName, id);
        Path dir = Files.createDirectories(root.resolve("containers").resolve(id));
        boolean ready = false;
        try {
            ImageConfig config = ImageConfig.parse(content.read(image.config(), MAX_CONFIG_BYTES));
            String stopSignal = config.execution().stopSignal() == null ? "" : config.execution().stopSignal();
            new ContainerRecord(id, containerName, image.reference().toString(), image.id(),
                    SnapshotStore.chainIds(config.diffIds()), runtime.binary().toString(), stopSignal, restart).write(dir);
            ContainerStateFile.created(java.time.Instant.now()).write(dir);
            Volumes volumes = new Volumes(root);
            ContainerMounts.write(dir, options, volumes); // before a volume is made: volume rm sees this container from now on
            List<Path> lowers = snapshots.prepare(image.layers(), config.diffIds(), content);
            Path rootfs = rootfs(lowers, dir).toRealPath();
            Path netns = null;
            if (options.network() == RunOptions.NetworkMode.NONE) {
                netns = LoopbackNamespace.create(ContainerTeardown.netnsName(id)).path();
            } else if (options.network() == RunOptions.NetworkMode.BRIDGE) {
                netns = Path.of("/run/netns", ContainerTeardown.netnsName(id));
            }
            String hostname = options.hostname() != null ? options.hostname() : shortId;
            Bundle.write(dir, rootfs, config.execution(), namedVolumes(options, rootfs, volumes), hostname, netns, "/berth/" + id);
            if (options.network() == RunOptions.NetworkMode.BRIDGE) {
                ContainerNetwork.attach(root, id, containerName, hostname, ContainerTeardown.netnsName(id), network);
            }
            ready = true;
            return id;
        } finally {
            if (!ready) {
                ContainerTeardown.release(root, id, runtime);
                ContainerTeardown.remove(root, id);
                Files.deleteIfExists(root.resolve("names").resolve(containerName));
            }
        }
    }

    /** Named volumes made where missing and seeded from the image while empty; the options with their directories. */
    private static RunOptions namedVolumes(RunOptions options, Path rootfs, Volumes volumes) throws IOException {
        List<Volume> resolved = new java.util.ArrayList<>();
        for (Volume v : options.volumes()) {
            if (v.named()) {
                Path data = volumes.create(v.name());
                Volumes.seed(data, MountTarget.prepare(rootfs, v.container(), true));
                resolved.add(v.at(data));
            } else {
                resolved.add(v);
            }
        }
        return options.withVolumes(resolved);
    }

    private Path rootfs(List<Path> lowers, Path dir) throws IOException {
        if (storage == StorageDriver.VFS) {
            return CopiedRootfs.copy(lowers, dir);
        }
        try {
            return OverlayRootfs.mount(lowers, dir);
        } catch (IOException e) {
            if (storage == StorageDriver.OVERLAY) {
                throw e;
            }
            notices.println("berth: overlay is not available here (" + e.getMessage() + "); copying the image into the container's root");
            notices.flush();
            return CopiedRootfs.copy(lowers, dir);
        }
    }

    private Path claimName(String name, String id) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid container name " + name + ": expected [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
        Path link = Files.createDirectories(root.resolve("names")).resolve(name);
        try {
            return Files.createSymbolicLink(link, Path.of("../containers", id));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("the container name " + name + " is already in use");
        }
    }
}
