package dev.berth.cli;

import dev.berth.cli.RunProcess.Result;
import dev.berth.oci.MediaType;
import dev.berth.testing.BusyboxImage;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.Requirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The runtime root of one test class of detached containers, and the busybox image they run,
 * pushed once to the class's registry. Its tests skip without root, runc, ip and setsid (and fail
 * under CI=true); {@link #removeAll} takes every container down and the root away.
 */
final class DetachedContainers {

    private final Path root;
    private String repository;

    DetachedContainers(String name) {
        try {
            root = Files.createTempDirectory("berth-" + name + "-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path root() {
        return root;
    }

    /** Checks what detached containers need, and pushes busybox the first time. @return its repository */
    String prepare(URI registry, Supplier<String> repositoryName) throws Exception {
        Requirements.root();
        Requirements.executable("runc", "runc");
        Requirements.executable("ip", "iproute2");
        Requirements.executable("setsid", "util-linux");
        if (repository == null) {
            String name = repositoryName.get();
            BusyboxImage.image(MediaType.OCI_LAYER_GZIP).push(new RegistryPusher(registry), name, "latest");
            repository = name;
        }
        return repository;
    }

    /** {@code berth COMMAND --root ROOT ARGS...} through target/berth. */
    Result berth(String command, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(command, "--root", root.toString()));
        all.addAll(List.of(args));
        return RunProcess.command(Map.of(), all.toArray(String[]::new));
    }

    void removeAll() throws Exception {
        if (Files.isDirectory(root.resolve("containers"))) {
            try (var ids = Files.list(root.resolve("containers"))) {
                for (Path dir : ids.toList()) {
                    berth("rm", "-f", dir.getFileName().toString());
                }
            }
        }
        RunProcess.removeRoot(root);
    }
}
