package dev.berth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * containers.conf, storage.conf, registries.conf and policy.json in a temp dir, for buildah and
 * podman: their image store (graphroot, runroot, tmp dir) lives there too, so the tests never
 * touch the machine's /var/lib/containers store or its /etc/containers settings.
 */
final class ContainersConfig {

    private final Path root;

    private ContainersConfig(Path root) {
        this.root = root;
    }

    static ContainersConfig create(Path root) throws IOException {
        Files.createDirectories(root.resolve("graph"));
        Files.createDirectories(root.resolve("run"));
        Files.createDirectories(root.resolve("tmp"));
        // vfs: plain directories, nothing mounted that could outlive the test.
        Files.writeString(root.resolve("storage.conf"), """
                [storage]
                driver = "vfs"
                graphroot = "%s"
                runroot = "%s"
                """.formatted(root.resolve("graph"), root.resolve("run")));
        // This VM lacks CAP_SYS_RESOURCE: ulimits above the current hard limits would be refused.
        Files.writeString(root.resolve("containers.conf"), """
                [containers]
                default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

                [engine]
                tmp_dir = "%s"
                events_logger = "file"
                events_logfile_path = "%s"
                cgroup_manager = "cgroupfs"

                [network]
                network_config_dir = "%s"
                """.formatted(root.resolve("tmp"), root.resolve("events.log"), root.resolve("networks")));
        Files.writeString(root.resolve("registries.conf"), "unqualified-search-registries = []\n");
        Files.writeString(root.resolve("policy.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        // buildah and podman refuse an auth file that does not exist.
        Files.writeString(root.resolve("auth.json"), "{\"auths\":{}}");
        return new ContainersConfig(root);
    }

    /** The environment that points buildah, podman (and skopeo) at these files. */
    Map<String, String> environment() {
        return Map.of(
                "CONTAINERS_CONF", root.resolve("containers.conf").toString(),
                "CONTAINERS_STORAGE_CONF", root.resolve("storage.conf").toString(),
                "REGISTRIES_CONFIG_PATH", root.resolve("registries.conf").toString(),
                "REGISTRY_AUTH_FILE", root.resolve("auth.json").toString(),
                "TMPDIR", root.resolve("tmp").toString());
    }

    String policy() {
        return root.resolve("policy.json").toString();
    }
}
