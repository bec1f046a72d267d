package dev.berth.runtime.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RuntimeSpecTest {

    private static JsonNode render(RunOptions options, Path netns) {
        byte[] json = RuntimeSpec.render(new RuntimeSpec.Inputs(List.of("sh", "-c", "true"), List.of("A=b"), "/srv",
                new ExecUser(1000, 1000, List.of(29), "/home/app"), "box", Path.of("/r/rootfs"), options, netns,
                "/berth/abc", 20000, List.of(new RuntimeSpec.BindFile(Path.of("/c/hosts"), "/etc/hosts"))));
        return JsonMapper.builder().build().readTree(json);
    }

    private static RunOptions options(long memory, double cpus, long pids, List<Volume> volumes) {
        return new RunOptions(null, List.of(), List.of(), null, null, null, true, volumes,
                List.of(Tmpfs.parse("/scratch:size=64m,mode=1777")), memory, cpus, pids,
                RunOptions.NetworkMode.NONE, false);
    }

    @Test
    void rendersProcessRootNamespacesAndLimits() {
        JsonNode spec = render(options(16 << 20, 0.5, 10, List.of(Volume.parse("/data:/mnt/data:ro"))), Path.of("/run/netns/x"));

        assertThat(spec.path("process").path("args").toString()).isEqualTo("[\"sh\",\"-c\",\"true\"]");
        assertThat(spec.path("process").path("user").toString()).isEqualTo("{\"uid\":1000,\"gid\":1000,\"additionalGids\":[29]}");
        assertThat(spec.path("process").path("cwd").asString()).isEqualTo("/srv");
        assertThat(spec.path("process").path("capabilities").path("bounding")).hasSize(14);
        assertThat(spec.path("process").path("rlimits").toString()).isEqualTo("[{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":20000}]");
        assertThat(spec.path("root").toString()).isEqualTo("{\"path\":\"/r/rootfs\",\"readonly\":true}");
        assertThat(spec.path("hostname").asString()).isEqualTo("box");
        assertThat(spec.path("linux").path("namespaces").toString()).contains("{\"type\":\"network\",\"path\":\"/run/netns/x\"}");
        JsonNode resources = spec.path("linux").path("resources");
        assertThat(resources.path("memory").toString()).isEqualTo("{\"limit\":16777216,\"swap\":16777216}");
        assertThat(resources.path("cpu").toString()).isEqualTo("{\"quota\":50000,\"period\":100000}");
        assertThat(resources.path("pids").path("limit").asLong()).isEqualTo(10);
        assertThat(spec.path("linux").path("maskedPaths").toString()).contains("/proc/kcore");
        assertThat(spec.path("mounts").toString())
                .contains("{\"destination\":\"/mnt/data\",\"type\":\"bind\",\"source\":\"/data\",\"options\":[\"rbind\",\"rprivate\",\"ro\"]}")
                .contains("{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/c/hosts\"")
                .contains("{\"destination\":\"/scratch\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                        + "\"options\":[\"noexec\",\"nosuid\",\"nodev\",\"size=64m\",\"mode=1777\"]}");
    }

    @Test
    void hostNetworkJoinsNoNamespaceAndNoLimitsMeansNone() {
        JsonNode spec = render(options(0, 0, 0, List.of()), null);

        assertThat(spec.path("linux").path("namespaces").toString()).doesNotContain("network");
        assertThat(spec.path("linux").path("resources").has("memory")).isFalse();
        assertThat(spec.path("linux").path("resources").has("cpu")).isFalse();
        assertThat(spec.path("linux").path("resources").has("pids")).isFalse();
    }

    @Test
    void hostHardLimitsAreReadFromProcLimits() {
        List<String> lines = List.of("Limit                     Soft Limit           Hard Limit           Units",
                "Max open files            1024                 20000                files",
                "Max locked memory         unlimited            unlimited            bytes");

        assertThat(HostLimits.hard(lines, "Max open files")).isEqualTo(OptionalLong.of(20000));
        assertThat(HostLimits.hard(lines, "Max locked memory")).isEqualTo(OptionalLong.of(-1));
        assertThat(HostLimits.hard(lines, "Max processes")).isEmpty();
        assertThat(HostLimits.hard("Max open files")).isPresent();
    }
}
