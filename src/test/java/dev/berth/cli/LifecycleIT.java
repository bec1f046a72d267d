package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.RunProcess.Result;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A detached container's life through target/berth, as root with runc: {@code run -d} under its
 * supervisor, {@code ps}, {@code logs}, {@code stop}, {@code kill}, {@code rm}, {@code wait} and
 * {@code inspect}, by name and by id prefix, and {@code ps} after the supervisor is killed with -9.
 */
@DatabaseNeutral
class LifecycleIT extends RegistryIntegrationTest {

    private static final DetachedContainers CONTAINERS = new DetachedContainers("lifecycle");
    private static final Path ROOT = CONTAINERS.root();
    private static String repo;

    @BeforeEach
    void pushOnce() throws Exception {
        repo = CONTAINERS.prepare(uri("/"), () -> uniqueName("lifecycle"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        CONTAINERS.removeAll();
    }

    private String image() {
        return "127.0.0.1:" + port + "/" + repo;
    }

    private static Result berth(String command, String... args) throws Exception {
        return CONTAINERS.berth(command, args);
    }

    /** {@code run -d}: its id, after checking it printed only that. */
    private String detached(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--runtime", "runc", "-d"));
        all.addAll(List.of(args));
        Result r = RunProcess.run(ROOT, all.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("[0-9a-f]{64}\n");
        return r.out().strip();
    }

    @Test
    void aDetachedContainerRunsUnderItsSupervisorAndShowsInPsAsUp() throws Exception {
        String id = detached("--name", "sleeper", image(), "sleep 1000");

        Result ps = berth("ps");
        assertThat(ps.exit()).as(ps.err()).isZero();
        assertThat(ps.out()).startsWith("CONTAINER ID   IMAGE ");
        String row = ps.out().lines().filter(l -> l.startsWith(id.substring(0, 12))).findFirst().orElseThrow();
        assertThat(row).contains(image(), "\"/bin/sh -c sleep 10…\"").containsPattern("   Up (Less than a second|\\d+ seconds?)   ")
                .endsWith("sleeper");
        assertThat(berth("ps", "-q").out().lines()).contains(id.substring(0, 12));
        assertThat(berth("ps", "--format", "{{.Names}}:{{.State}}").out().lines()).contains("sleeper:running");
        long supervisor = Long.parseLong(Files.readString(ROOT.resolve("containers").resolve(id).resolve("supervisor.pid")).strip());
        assertThat(ProcessHandle.of(supervisor).map(p -> p.info().arguments().map(List::of).orElse(List.of())).orElseThrow())
                .contains("supervise", id);
        assertThat(berth("rm", "-f", "sleeper").exit()).isZero();
    }

    @Test
    void logsOfADetachedContainerSurviveItsExitAndWaitPrintsItsCode() throws Exception {
        // stdout and stderr reach the log through two pipes, so only a pause orders "two" before "three" there (--tail 1).
        String id = detached("--name", "talker", image(), "echo one; echo two >&2; sleep 1; echo three; exit 3");

        Result waited = berth("wait", "talker");
        assertThat(waited.out()).isEqualTo("3\n");
        Result logs = berth("logs", id.substring(0, 12));
        assertThat(logs.exit()).as(logs.err()).isZero();
        assertThat(logs.out()).isEqualTo("one\nthree\n");
        assertThat(logs.err()).isEqualTo("two\n");
        assertThat(berth("logs", "--tail", "1", "talker").out()).isEqualTo("three\n");
        assertThat(berth("logs", "-t", "talker").out()).matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z one\n\\S+Z three\n");
        assertThat(berth("ps").out()).doesNotContain("talker");
        assertThat(berth("ps", "-a").out().lines().filter(l -> l.endsWith("talker")).findFirst().orElseThrow())
                .containsPattern("Exited \\(3\\) (Less than a second|\\d+ seconds?) ago");
        JsonNode inspect = JsonMapper.builder().build().readTree(berth("inspect", "talker").out()).get(0);
        assertThat(inspect.path("Id").asString()).isEqualTo(id);
        assertThat(inspect.path("Name").asString()).isEqualTo("/talker");
        assertThat(inspect.path("State").path("Status").asString()).isEqualTo("exited");
        assertThat(inspect.path("State").path("ExitCode").asInt()).isEqualTo(3);
        assertThat(inspect.path("Config").path("Image").asString()).isEqualTo(image() + ":latest");
    }

    @Test
    void logsFollowUntilTheContainerExits() throws Exception {
        detached("--name", "follower", image(), "for i in 1 2 3; do echo $i; sleep 1; done");

        Result followed = berth("logs", "-f", "follower");

        assertThat(followed.exit()).as(followed.err()).isZero();
        assertThat(followed.out()).isEqualTo("1\n2\n3\n");
    }

    @Test
    void stopKillsAContainerThatIgnoresSigtermAfterTheTimeout() throws Exception {
        detached("--name", "stubborn", image(), "trap '' TERM; echo ready; while true; do sleep 1; done");

        Result stop = berth("stop", "-t", "1", "stubborn");

        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(stop.out()).isEqualTo("stubborn\n");
        assertThat(berth("wait", "stubborn").out()).isEqualTo("137\n");
        assertThat(berth("ps", "-a", "--format", "{{.Names}} {{.Status}}").out()).containsPattern("stubborn Exited \\(137\\) ");
        assertThat(berth("kill", "stubborn").err()).matches("berth: cannot kill container stubborn: container \\w+ is not running\n");
    }

    @Test
    void killSendsTheSignalAsked() throws Exception {
        detached("--name", "trapper", image(), "trap 'echo got USR1; exit 7' USR1; while true; do sleep 0.1; done");
        Thread.sleep(500); // the trap is set once the shell runs

        Result kill = berth("kill", "-s", "usr1", "trapper");

        assertThat(kill.exit()).as(kill.err()).isZero();
        assertThat(berth("wait", "trapper").out()).isEqualTo("7\n");
        assertThat(berth("logs", "trapper").out()).isEqualTo("got USR1\n");
        assertThat(berth("kill", "-s", "NOPE1!", "trapper").err()).isEqualTo("berth: invalid signal: NOPE1!\n");
    }

    @Test
    void psStaysTrueAfterTheSupervisorIsKilledWithMinus9() throws Exception {
        String id = detached("--name", "orphan", image(), "sleep 1000");
        long supervisor = Long.parseLong(Files.readString(ROOT.resolve("containers").resolve(id).resolve("supervisor.pid")).strip());
        ProcessHandle handle = ProcessHandle.of(supervisor).orElseThrow();

        new ProcessBuilder("kill", "-9", Long.toString(supervisor)).start().waitFor();
        handle.onExit().get(30, TimeUnit.SECONDS);

        assertThat(berth("ps", "--format", "{{.Names}} {{.State}}").out().lines()).contains("orphan running");
        assertThat(berth("kill", "orphan").exit()).isZero();
        String status = "";
        for (int i = 0; i < 100 && !status.contains("Exited"); i++) {
            Thread.sleep(100);
            status = berth("ps", "-a", "--format", "{{.Names}} {{.Status}}").out();
        }
        assertThat(status.lines()).anyMatch(l -> l.matches("orphan Exited \\(unknown\\) .* ago"));
        assertThat(berth("ps", "--format", "{{.Names}}").out().lines()).doesNotContain("orphan");
    }

    @Test
    void rmRefusesARunningContainerWithOneLineAndRemovesItWithForce() throws Exception {
        String id = detached("--name", "doomed", image(), "sleep 1000");
        Path dir = ROOT.resolve("containers").resolve(id);

        Result refused = berth("rm", "doomed");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo(
                "berth: cannot remove container doomed: container is running: stop the container before removing or force remove (-f)\n");
        assertThat(dir).isDirectory();

        Result forced = berth("rm", "-f", id.substring(0, 8));
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(dir).doesNotExist();
        assertThat(ROOT.resolve("names").resolve("doomed")).doesNotExist();
        assertThat(Files.readAllLines(Path.of("/proc/mounts"))).noneMatch(l -> l.contains(id));
        assertThat(berth("ps", "-a").out()).doesNotContain("doomed");
    }

    @Test
    void unknownContainersAndAFailedStartAreOneLineAndExitCode1() throws Exception {
        for (String command : List.of("logs", "stop", "kill", "rm", "wait", "inspect")) {
            Result r = berth(command, "no-such-container");
            assertThat(r.exit()).as(command).isEqualTo(1);
            assertThat(r.err()).as(command).isEqualTo("berth: No such container: no-such-container\n");
        }
        Result failed = RunProcess.run(ROOT, "--runtime", "runc", "-d", "--entrypoint", "/nope", image());
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err().lines().filter(l -> l.startsWith("berth:")).toList()).singleElement().asString()
                .contains("/nope");
    }

}
