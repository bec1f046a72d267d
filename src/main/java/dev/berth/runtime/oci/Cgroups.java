package dev.berth.runtime.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What this machine's cgroup layout means for the OCI runtimes. */
final class Cgroups {

    private Cgroups() {
    }

    /**
     * Why crun cannot run here, if it cannot: on a hybrid layout (cgroup v1 at /sys/fs/cgroup and
     * cgroup2 at /sys/fs/cgroup/unified) crun refuses to start when cgroup2 holds any controller.
     */
    static Optional<String> crunProblem() {
        return crunProblem(Path.of("/sys/fs/cgroup"));
    }

    static Optional<String> crunProblem(Path cgroupRoot) {
        if (Files.exists(cgroupRoot.resolve("cgroup.controllers"))) {
            return Optional.empty(); // unified cgroup v2
        }
        Path unified = cgroupRoot.resolve("unified/cgroup.controllers");
        try {
            String controllers = Files.isRegularFile(unified) ? Files.readString(unified).trim() : "";
            return controllers.isEmpty() ? Optional.empty()
                    : Optional.of("cgroups in hybrid mode with controllers on cgroup2: " + controllers);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
