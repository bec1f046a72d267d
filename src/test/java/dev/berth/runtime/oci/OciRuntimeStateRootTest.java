package dev.berth.runtime.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.Requirements;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@link OciRuntime#state} against real runc: what ps reconciles a container's recorded state with. */
class OciRuntimeStateRootTest {

    @TempDir
    Path work;

    @Test
    void stateFollowsACreatedRunningAndDeletedContainer() throws Exception {
        Requirements.root();
        Path runc = Requirements.executable("runc", "runc");
        Path busybox = Requirements.executable("busybox", "busybox-static");
        Path bundle = Files.createDirectories(work.resolve("bundle"));
        Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
        Files.copy(busybox, bin.resolve("busybox"));
        new ProcessBuilder(runc.toString(), "spec").directory(bundle.toFile()).start().waitFor();
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode spec = (ObjectNode) json.readTree(bundle.resolve("config.json").toFile());
        ObjectNode process = (ObjectNode) spec.get("process");
        process.put("terminal", false);
        process.putArray("args").add("/bin/busybox").add("sleep").add("30");
        Files.write(bundle.resolve("config.json"), json.writeValueAsBytes(spec));
        OciRuntime oci = OciRuntime.select("runc", work.resolve("state"), new PrintWriter(new StringWriter()));
        String id = "berth-state-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

        assertThat(oci.state(id)).isEmpty();
        Process create = new ProcessBuilder(runc.toString(), "--root", work.resolve("state/runc").toString(),
                "create", "--bundle", bundle.toString(), id)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(create.waitFor()).isZero();
            assertThat(oci.state(id)).contains("created");
            assertThat(new ProcessBuilder(runc.toString(), "--root", work.resolve("state/runc").toString(), "start", id)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor()).isZero();
            assertThat(oci.state(id)).contains("running");
            oci.kill(id, "KILL");
            for (int i = 0; i < 100 && !oci.state(id).equals(java.util.Optional.of("stopped")); i++) {
                Thread.sleep(50);
            }
            assertThat(oci.state(id)).contains("stopped");
        } finally {
            oci.delete(id);
        }
        assertThat(oci.state(id)).isEmpty();
    }
}
