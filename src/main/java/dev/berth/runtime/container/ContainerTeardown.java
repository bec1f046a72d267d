package dev.berth.runtime.container;

import dev.berth.runtime.network.ContainerNetwork;
import dev.berth.runtime.oci.OciRuntime;
import dev.berth.runtime.snapshot.OverlayRootfs;
import dev.berth.runtime.sys.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What a container holds while it runs, let go: the runtime's record of it, its place on a network
 * (veth, address, port rules), its network namespace and its root's mount. Each step is safe to
 * repeat, so a supervisor and {@code rm -f} (or a supervisor that died half-way) may both run it.
 */
final class ContainerTeardown {

    private ContainerTeardown() {
    }

    static String netnsName(String id) {
        return "berth-" + id.substring(0, 12);
    }

    static void release(Path root, String id, OciRuntime runtime) throws IOException {
        runtime.delete(id);
        ContainerNetwork.detach(root, id);
        if (Files.exists(Path.of("/run/netns", netnsName(id)))) {
            Processes.run("ip", "netns", "delete", netnsName(id));
        }
        Path rootfs = root.resolve("containers").resolve(id).resolve("rootfs");
        if (OverlayRootfs.isMounted(rootfs)) {
            OverlayRootfs.unmount(rootfs);
        }
    }

    /** Removes the container's name and directory (its upper layer, bundle, state and log). */
    static void remove(Path root, String id) throws IOException {
        Path dir = root.resolve("containers").resolve(id);
        ContainerRecord.in(dir).ifPresent(r -> {
            try {
                Path link = root.resolve("names").resolve(r.name());
                if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).getFileName().toString().equals(id)) {
                    Files.delete(link);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
