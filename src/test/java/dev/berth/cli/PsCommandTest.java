package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.runtime.container.ContainerRecord;
import dev.berth.runtime.container.ContainerState;
import dev.berth.runtime.container.ContainerStateFile;
import dev.berth.runtime.container.Containers.Container;
import dev.berth.runtime.container.RestartPolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PsCommandTest {

    private static final Instant T0 = Instant.parse("2026-12-07T07:00:00Z");
    private static final String ID = "0123456789ab".repeat(5) + "cdef";

    @Test
    void aContainerAboutToBeRestartedByItsPolicyReadsAsDockersRestartingOne() {
        ContainerStateFile waiting = ContainerStateFile.created(T0).started(7, T0).exitedToRestart(3, T0.plusSeconds(1));
        ContainerRecord record = new ContainerRecord(ID, "flaky", "example/busybox:latest", Digest.sha256(new byte[0]), List.of(),
                "/usr/bin/runc", "", RestartPolicy.parse("on-failure:2"));
        Container c = new Container(record, waiting, List.of("sh", "-c", "exit 3"), List.of(), "/", Path.of("/nonexistent"));

        var fields = PsCommand.fields(c, T0.plusSeconds(3));

        assertThat(fields.get("State")).isEqualTo("restarting");
        assertThat(fields.get("Status")).isEqualTo("Restarting (3) 2 seconds ago");
        assertThat(PsCommand.fields(new Container(record, waiting.notRestarting(), List.of(), List.of(), "/", Path.of("/x")),
                T0.plusSeconds(3)).get("Status")).isEqualTo("Exited (3) 2 seconds ago");
        assertThat(waiting.state()).isEqualTo(ContainerState.EXITED);
    }
}
