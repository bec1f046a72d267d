package dev.berth.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {

    @Test
    void aStartErrorIsTheRuntimesLastErrorMessage(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve(Supervisor.RUNTIME_LOG),
                "{\"level\":\"warning\",\"msg\":\"a warning\",\"time\":\"2026-12-07T11:00:00Z\"}\n"
              + "{\"level\":\"error\",\"msg\":\"runc run failed: exec: \\\"/nope\\\": no such file\\nmore\",\"time\":\"2026-12-07T11:00:00Z\"}\n");

        assertThat(Supervisor.startError(log, 1)).isEqualTo("runc run failed: exec: \"/nope\": no such file");
    }

    @Test
    void withoutAMessageTheStartErrorNamesTheExitCode(@TempDir Path dir) throws Exception {
        assertThat(Supervisor.startError(dir.resolve("absent"), 2)).isEqualTo("the container did not start (runtime exit code 2)");
    }
}
