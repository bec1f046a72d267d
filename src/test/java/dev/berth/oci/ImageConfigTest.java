package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ImageConfigTest {

    private static ImageConfig parse(String json) {
        return ImageConfig.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsWhatARuntimeNeeds() {
        ImageConfig config = parse("""
                {"architecture":"amd64","os":"linux","created":"2026-11-01T10:00:00Z","author":"Ann <ann@example.org>",
                 "config":{"Entrypoint":["/bin/sh","-c"],"Cmd":["echo hi"],"Env":["PATH=/bin","A=b=c"],
                           "WorkingDir":"/srv","User":"1000:1000","StopSignal":"SIGINT","Labels":{"k":"v","n":3},
                           "ExposedPorts":{"8080/tcp":{},"53/udp":{}}},
                 "rootfs":{"type":"layers","diff_ids":["sha256:%s"]},
                 "history":[{"created":"2026-11-01T10:00:00Z","created_by":"ADD rootfs"},
                            {"created_by":"ENV A=b","empty_layer":true}]}
                """.formatted("cd".repeat(32)));

        assertThat(config.platform()).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(config.created()).isEqualTo(Instant.parse("2026-11-01T10:00:00Z"));
        ImageConfig.Execution e = config.execution();
        assertThat(e.entrypoint()).containsExactly("/bin/sh", "-c");
        assertThat(e.cmd()).containsExactly("echo hi");
        assertThat(e.env()).containsExactly("PATH=/bin", "A=b=c");
        assertThat(e.workingDir()).isEqualTo("/srv");
        assertThat(e.user()).isEqualTo("1000:1000");
        assertThat(e.stopSignal()).isEqualTo("SIGINT");
        assertThat(e.labels()).containsExactly(java.util.Map.entry("k", "v"), java.util.Map.entry("n", "3"));
        assertThat(config.author()).isEqualTo("Ann <ann@example.org>");
        assertThat(config.exposedPorts()).containsExactly("8080/tcp", "53/udp");
        assertThat(config.diffIds()).containsExactly(Digest.of("sha256:" + "cd".repeat(32)));
        assertThat(config.history()).hasSize(2);
        assertThat(config.history().get(1).emptyLayer()).isTrue();
        assertThat(config.history().get(0).createdBy()).isEqualTo("ADD rootfs");
    }

    @Test
    void unsetEntrypointAndCmdAreNullButEmptyOnesAreEmpty() {
        ImageConfig unset = parse("{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}");
        ImageConfig empty = parse("{\"config\":{\"Entrypoint\":[],\"Cmd\":null}}");

        assertThat(unset.execution().entrypoint()).isNull();
        assertThat(unset.execution().cmd()).isNull();
        assertThat(unset.execution().env()).isEmpty();
        assertThat(unset.platform()).hasToString("linux/arm64/v8");
        assertThat(unset.diffIds()).isEmpty();
        assertThat(unset.author()).isNull();
        assertThat(unset.exposedPorts()).isEmpty();
        assertThat(parse("{\"config\":{\"ExposedPorts\":null}}").exposedPorts()).isEmpty();
        assertThat(empty.execution().entrypoint()).isEmpty();
        assertThat(empty.execution().cmd()).isNull();
    }

    @Test
    void refusesMalformedConfigs() {
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(OciException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> parse("{")).isInstanceOf(OciException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> parse("{\"config\":{\"Cmd\":\"echo\"}}")).hasMessageContaining("Cmd must be an array");
        assertThatThrownBy(() -> parse("{\"rootfs\":{\"diff_ids\":[\"sha256:zz\"]}}")).hasMessageContaining("diff_ids");
        assertThatThrownBy(() -> parse("{\"created\":\"yesterday\"}")).hasMessageContaining("RFC 3339");
        assertThatThrownBy(() -> parse("{\"config\":{\"ExposedPorts\":[\"80/tcp\"]}}")).hasMessageContaining("ExposedPorts");
        assertThatThrownBy(() -> parse("{\"author\":7}")).hasMessageContaining("author must be a string");
    }
}
