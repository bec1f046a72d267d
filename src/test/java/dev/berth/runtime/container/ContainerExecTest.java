package dev.berth.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ContainerExecTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ObjectNode containerProcess() {
        return (ObjectNode) JSON.readTree("""
                {"terminal":true,"consoleSize":{"height":24,"width":80},"user":{"uid":0,"gid":0},
                 "args":["sleep","1000"],"env":["PATH=/bin","HOME=/root","A=1"],"cwd":"/srv",
                 "capabilities":{"bounding":["CAP_CHOWN"]},"noNewPrivileges":false}""");
    }

    @Test
    void theCommandReplacesTheContainersAndEverythingElseIsKept() throws Exception {
        ObjectNode p = ContainerExec.process(containerProcess(), new ContainerExec.Request(List.of("sh", "-c", "exit 7"),
                List.of(), null, null, false), Path.of("/nonexistent"));

        assertThat(p.path("args").toString()).isEqualTo("[\"sh\",\"-c\",\"exit 7\"]");
        assertThat(p.path("cwd").asString()).isEqualTo("/srv");
        assertThat(p.path("env").toString()).isEqualTo("[\"PATH=/bin\",\"HOME=/root\",\"A=1\"]");
        assertThat(p.path("capabilities").path("bounding").get(0).asString()).isEqualTo("CAP_CHOWN");
        assertThat(p.path("terminal").asBoolean()).isFalse();
        assertThat(p.has("consoleSize")).isFalse();
    }

    @Test
    void envEntriesAreSetOverTheContainersAndTheWorkdirReplacesItsOwn() throws Exception {
        ObjectNode p = ContainerExec.process(containerProcess(), new ContainerExec.Request(List.of("env"),
                List.of("A=2", "B=x=y"), "/tmp", null, false), Path.of("/nonexistent"));

        assertThat(p.path("env").toString()).isEqualTo("[\"PATH=/bin\",\"HOME=/root\",\"A=2\",\"B=x=y\"]");
        assertThat(p.path("cwd").asString()).isEqualTo("/tmp");
    }

    @Test
    void theUserIsResolvedInTheContainersRoot(@TempDir Path rootfs) throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\nstaff:x:50:\n");

        ObjectNode p = ContainerExec.process(containerProcess(), new ContainerExec.Request(List.of("id"),
                List.of(), null, "nobody:staff", false), rootfs);

        assertThat(p.path("user").path("uid").asInt()).isEqualTo(65534);
        assertThat(p.path("user").path("gid").asInt()).isEqualTo(50);
    }

    @Test
    void aRelativeWorkdirAnEmptyCommandAndABadEnvEntryAreRefused() {
        assertThatThrownBy(() -> ContainerExec.process(containerProcess(), new ContainerExec.Request(List.of("pwd"),
                List.of(), "tmp", null, false), Path.of("/")))
                .hasMessage("the working directory must be absolute: tmp");
        assertThatThrownBy(() -> ContainerExec.process(containerProcess(), new ContainerExec.Request(List.of(),
                List.of(), null, null, false), Path.of("/")))
                .hasMessage("exec needs a command");
        assertThatThrownBy(() -> ContainerExec.process(containerProcess(), new ContainerExec.Request(List.of("env"),
                List.of("NOVALUE"), null, null, false), Path.of("/")))
                .hasMessage("invalid environment entry NOVALUE: expected KEY=VALUE");
    }
}
