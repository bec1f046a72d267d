package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.RunProcess.Result;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code berth exec} into a detached busybox through target/berth, as root with runc. */
@DatabaseNeutral
class ExecIT extends RegistryIntegrationTest {

    private static final DetachedContainers CONTAINERS = new DetachedContainers("exec");
    private static final Path ROOT = CONTAINERS.root();
    private static String repo;

    @BeforeEach
    void pushOnce() throws Exception {
        repo = CONTAINERS.prepare(uri("/"), () -> uniqueName("exec"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        CONTAINERS.removeAll();
    }

    private static Result berth(String command, String... args) throws Exception {
        return CONTAINERS.berth(command, args);
    }

    private String detached(String name) throws Exception {
        Result r = RunProcess.run(ROOT, "--runtime", "runc", "-d", "--name", name, "-e", "A=1",
                "127.0.0.1:" + port + "/" + repo, "sleep 1000");
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().strip();
    }

    @Test
    void execRunsInTheContainerAndExitsWithTheCommandsCode() throws Exception {
        String id = detached("exec-target");

        Result hostname = berth("exec", "exec-target", "hostname");
        assertThat(hostname.exit()).as(hostname.err()).isZero();
        assertThat(hostname.out()).isEqualTo(id.substring(0, 12) + "\n");
        Result seven = berth("exec", id.substring(0, 6), "sh", "-c", "echo out; echo err >&2; exit 7");
        assertThat(seven.exit()).isEqualTo(7);
        assertThat(seven.out()).isEqualTo("out\n");
        assertThat(seven.err()).isEqualTo("err\n");
        // The image's user and WorkingDir unless -u and -w say otherwise; -e over the container's environment.
        assertThat(berth("exec", "exec-target", "sh", "-c", "id -u; pwd").out()).isEqualTo("1000\n/srv\n");
        assertThat(berth("exec", "-u", "root", "-w", "/tmp", "exec-target", "sh", "-c", "id -u; pwd").out())
                .isEqualTo("0\n/tmp\n");
        assertThat(berth("exec", "-u", "app:staff", "exec-target", "id", "-g").out()).isEqualTo("50\n");
        assertThat(berth("exec", "-e", "A=2", "-e", "B=3", "exec-target", "env").out().lines())
                .contains("A=2", "B=3", "GREETING=hello").doesNotContain("A=1");
        // Its options end at the container: the command's own are left to it.
        assertThat(berth("exec", "exec-target", "ls", "-d", "/srv").out()).isEqualTo("/srv\n");
    }

    @Test
    void stdinIsPassedWithMinusIOnly() throws Exception {
        detached("exec-stdin");
        Path input = Files.writeString(Files.createTempFile("exec-stdin", ".txt"), "line one\nline two\n");
        try {
            Result cat = RunProcess.command(input.toFile(), "exec", "--root", ROOT.toString(), "-i", "exec-stdin", "wc", "-l");
            assertThat(cat.exit()).as(cat.err()).isZero();
            assertThat(cat.out().strip()).isEqualTo("2");
            Result without = RunProcess.command(input.toFile(), "exec", "--root", ROOT.toString(), "exec-stdin", "wc", "-l");
            assertThat(without.out().strip()).isEqualTo("0");
        } finally {
            Files.deleteIfExists(input);
        }
    }

    @Test
    void execIntoAContainerThatDoesNotRunIsRefusedWithOneLine() throws Exception {
        String id = detached("exec-stopped");
        assertThat(berth("kill", "exec-stopped").exit()).isZero();
        assertThat(berth("wait", "exec-stopped").out()).isEqualTo("137\n");

        Result refused = berth("exec", "exec-stopped", "true");

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("berth: container " + id.substring(0, 12) + " is not running\n");
        Result tty = berth("exec", "-it", "exec-stopped", "sh");
        assertThat(tty.exit()).isEqualTo(1);
        assertThat(tty.err()).isEqualTo("berth: exec -t (a pseudo-terminal) is not supported yet; -i alone passes stdin\n");
        Result unknown = berth("exec", "no-such-container", "true");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("berth: No such container: no-such-container\n");
    }

}
