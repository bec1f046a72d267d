package dev.berth.runtime.container;

import dev.berth.content.ContentStore;
import dev.berth.oci.ImageConfig;
import dev.berth.runtime.bundle.Bundle;
import dev.berth.runtime.bundle.RunOptions;
import dev.berth.runtime.image.ImageRecord;
import dev.berth.runtime.network.LoopbackNamespace;
import dev.berth.runtime.oci.OciRuntime;
import dev.berth.runtime.snapshot.CopiedRootfs;
import dev.berth.runtime.snapshot.OverlayRootfs;
import dev.berth.runtime.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code berth run}, start to end: snapshots → overlay root (or a copy, {@link StorageDriver}) →
 * network namespace → bundle → runtime, then everything undone again (the container's own directory
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
    public int run(ImageRecord image, RunOptions options, String name, boolean remove, OciRuntime runtime)
            throws IOException, InterruptedException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        String shortId = id.substring(0, 12);
        String containerName = name == null ? "berth-" + shortId : name;
        Path nameLink = claimName(containerName, id);
        Path dir = Files.createDirectories(root.resolve("containers").resolve(id));
        Path rootfs = null;
        LoopbackNamespace netns = null;
        try {
            ImageConfig config = ImageConfig.parse(content.read(image.config(), MAX_CONFIG_BYTES));
            new ContainerRecord(id, containerName, image.reference().toString(), image.id(),
                    SnapshotStore.chainIds(config.diffIds())).write(dir);
            List<Path> lowers = snapshots.prepare(image.layers(), config.diffIds(), content);
            rootfs = rootfs(lowers, dir).toRealPath();
            if (options.network() == RunOptions.NetworkMode.NONE) {
                netns = LoopbackNamespace.create("berth-" + shortId);
            }
            String hostname = options.hostname() != null ? options.hostname() : shortId;
            Bundle.write(dir, rootfs, config.execution(), options, hostname, netns == null ? null : netns.path(), "/berth/" + id);
            return runtime.run(id, dir, options.interactive());
        } finally {
            runtime.delete(id);
            if (netns != null) {
                netns.close();
            }
            if (rootfs != null && OverlayRootfs.isMounted(rootfs)) {
                OverlayRootfs.unmount(rootfs);
            }
            if (remove) {
                Files.deleteIfExists(nameLink);
                deleteTree(dir);
            }
        }
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

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
