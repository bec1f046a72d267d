package dev.berth.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupsTest {

    @TempDir
    Path cgroup;

    @Test
    void hybridWithControllersOnCgroup2IsWhatCrunRefuses() throws Exception {
        Files.createDirectories(cgroup.resolve("unified"));
        Files.writeString(cgroup.resolve("unified/cgroup.controllers"), "hugetlb\n");

        assertThat(Cgroups.crunProblem(cgroup)).contains("cgroups in hybrid mode with controllers on cgroup2: hugetlb");
    }

    @Test
    void unifiedOrEmptyHybridIsFine() throws Exception {
        Files.createDirectories(cgroup.resolve("unified"));
        Files.writeString(cgroup.resolve("unified/cgroup.controllers"), "\n");
        assertThat(Cgroups.crunProblem(cgroup)).isEmpty();

        Files.writeString(cgroup.resolve("cgroup.controllers"), "cpu memory pids\n");
        Files.writeString(cgroup.resolve("unified/cgroup.controllers"), "hugetlb\n");
        assertThat(Cgroups.crunProblem(cgroup)).isEmpty();
    }
}
