package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.RunProcess.Result;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code start}, {@code restart} and {@code run -d --restart} through target/berth, as root with runc. */
@DatabaseNeutral
class RestartIT extends RegistryIntegrationTest {

    private static final DetachedContainers CONTAINERS = new DetachedContainers("restart");
    private static final Path ROOT = CONTAINERS.root();
    private static String repo;

    @BeforeEach
    void pushOnce() throws Exception {
        repo = CONTAINERS.prepare(uri("/"), () -> uniqueName("restart"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        CONTAINERS.removeAll();
    }

    private static Result berth(String command, String... args) throws Exception {
        return CONTAINERS.berth(command, args);
    }

    private String detached(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--runtime", "runc", "-d"));
        for (String a : args) {
            all.add(a.equals("IMAGE") ? "127.0.0.1:" + port + "/" + repo : a);
        }
        Result r = RunProcess.run(ROOT, all.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().strip();
    }

    private static JsonNode inspect(String name) throws Exception {
        Result r = berth("inspect", name);
        assertThat(r.exit()).as(r.err()).isZero();
        return JsonMapper.builder().build().readTree(r.out()).get(0);
    }

    @Test
    void startRunsAnExitedContainerAgainOnItsOwnRootAndItsLogKeepsBothRuns() throws Exception {
        detached("--name", "again", "IMAGE", "echo x >> /tmp/runs; echo run $(wc -l < /tmp/runs); exit 4");
        assertThat(berth("wait", "again").out()).isEqualTo("4\n");

        Result start = berth("start", "again");

        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(start.out()).isEqualTo("again\n");
        assertThat(berth("wait", "again").out()).isEqualTo("4\n");
        assertThat(berth("logs", "again").out()).isEqualTo("run 1\nrun 2\n");
        assertThat(inspect("again").path("State").path("Status").asString()).isEqualTo("exited");
    }

    @Test
    void startingARunningContainerPrintsItsNameAndLeavesItAsItIs() throws Exception {
        detached("--name", "busy", "IMAGE", "sleep 1000");
        long pid = inspect("busy").path("State").path("Pid").asLong();

        Result start = berth("start", "busy");

        assertThat(start.exit()).as(start.err()).isZero();
        assertThat(start.out()).isEqualTo("busy\n");
        assertThat(inspect("busy").path("State").path("Pid").asLong()).isEqualTo(pid);
        assertThat(berth("start", "no-such-container").err()).isEqualTo("berth: No such container: no-such-container\n");
    }

    @Test
    void restartStopsARunningContainerAndStartsItAgain() throws Exception {
        detached("--name", "cycled", "IMAGE", "echo up; trap '' TERM; while true; do sleep 1; done");
        long pid = inspect("cycled").path("State").path("Pid").asLong();

        Result restart = berth("restart", "-t", "1", "cycled");

        assertThat(restart.exit()).as(restart.err()).isZero();
        assertThat(restart.out()).isEqualTo("cycled\n");
        JsonNode state = inspect("cycled").path("State");
        assertThat(state.path("Status").asString()).isEqualTo("running");
        assertThat(state.path("Pid").asLong()).isNotEqualTo(pid).isPositive();
        assertThat(berth("ps", "--format", "{{.Names}} {{.State}}").out().lines()).contains("cycled running");
        assertThat(berth("exec", "cycled", "true").exit()).isZero();
        for (int i = 0; i < 100 && !berth("logs", "cycled").out().equals("up\nup\n"); i++) {
            Thread.sleep(50);
        }
        assertThat(berth("logs", "cycled").out()).isEqualTo("up\nup\n");
    }

    @Test
    void onFailureTwoRestartsAFailingContainerTwiceThenLeavesItExited() throws Exception {
        detached("--restart", "on-failure:2", "--name", "flaky", "IMAGE", "echo try; exit 3");

        assertThat(berth("wait", "flaky").out()).isEqualTo("3\n");

        JsonNode inspect = inspect("flaky");
        assertThat(inspect.path("RestartCount").asInt()).isEqualTo(2);
        assertThat(inspect.path("State").path("Status").asString()).isEqualTo("exited");
        assertThat(inspect.path("State").path("ExitCode").asInt()).isEqualTo(3);
        assertThat(inspect.path("State").path("Restarting").asBoolean()).isFalse();
        assertThat(inspect.path("HostConfig").path("RestartPolicy").path("Name").asString()).isEqualTo("on-failure");
        assertThat(inspect.path("HostConfig").path("RestartPolicy").path("MaximumRetryCount").asInt()).isEqualTo(2);
        assertThat(berth("logs", "flaky").out()).isEqualTo("try\ntry\ntry\n");
        assertThat(berth("ps", "-a", "--format", "{{.Names}} {{.Status}}").out()).containsPattern("flaky Exited \\(3\\) ");
    }

    @Test
    void alwaysRestartsAKilledContainerButNotAStoppedOne() throws Exception {
        String id = detached("--restart", "always", "--name", "forever", "IMAGE", "echo up; sleep 1000");
        long first = inspect("forever").path("State").path("Pid").asLong();

        assertThat(berth("kill", "forever").exit()).isZero();
        JsonNode state = inspect("forever");
        for (int i = 0; i < 200 && (state.path("RestartCount").asInt() < 1 || !state.path("State").path("Running").asBoolean()); i++) {
            Thread.sleep(50);
            state = inspect("forever");
        }
        assertThat(state.path("RestartCount").asInt()).isEqualTo(1);
        assertThat(state.path("State").path("Pid").asLong()).isNotEqualTo(first);

        Result stop = berth("stop", "-t", "1", "forever");
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(berth("wait", "forever").out()).isEqualTo("137\n");
        Path dir = ROOT.resolve("containers").resolve(id);
        long supervisor = Long.parseLong(Files.readString(dir.resolve("supervisor.pid")).strip());
        ProcessHandle.of(supervisor).ifPresent(p -> p.onExit().join());
        Thread.sleep(1000); // longer than the first restart delays: a restart would have happened by now
        state = inspect("forever");
        assertThat(state.path("State").path("Status").asString()).isEqualTo("exited");
        assertThat(state.path("RestartCount").asInt()).isEqualTo(1);
        assertThat(berth("ps", "--format", "{{.Names}}").out().lines()).doesNotContain("forever");

        // Started by hand, its policy applies again and the count begins anew.
        assertThat(berth("start", "forever").exit()).isZero();
        assertThat(inspect("forever").path("State").path("Running").asBoolean()).isTrue();
        assertThat(inspect("forever").path("RestartCount").asInt()).isZero();
    }

    @Test
    void aBadPolicyAndRestartWithRmAreOneLine() throws Exception {
        Result bad = RunProcess.run(ROOT, "-d", "--restart", "sometimes", "127.0.0.1:" + port + "/" + repo, "true");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("berth: invalid restart policy sometimes: expected no, on-failure[:N] or always\n");
        Result rm = RunProcess.run(ROOT, "-d", "--rm", "--restart", "always", "127.0.0.1:" + port + "/" + repo, "true");
        assertThat(rm.exit()).isEqualTo(1);
        assertThat(rm.err()).isEqualTo("berth: Conflicting options: --restart and --rm\n");
    }

}
