package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.RunProcess.Result;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** {@code berth container prune} through target/berth, as root with runc: exited containers go, a running one stays. */
@DatabaseNeutral
class PruneIT extends RegistryIntegrationTest {

    private static final DetachedContainers CONTAINERS = new DetachedContainers("prune");
    private static String repo;

    @BeforeEach
    void pushOnce() throws Exception {
        repo = CONTAINERS.prepare(uri("/"), () -> uniqueName("prune"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        CONTAINERS.removeAll();
    }

    private Result run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--runtime", "runc"));
        for (String a : args) {
            all.add(a.equals("IMAGE") ? "127.0.0.1:" + port + "/" + repo : a);
        }
        return RunProcess.run(CONTAINERS.root(), all.toArray(String[]::new));
    }

    private static Result prune(File stdin, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("container", "prune", "--root", CONTAINERS.root().toString()));
        all.addAll(List.of(args));
        return RunProcess.command(stdin, all.toArray(String[]::new));
    }

    private static String id(String name) throws Exception {
        return JsonMapper.builder().build().readTree(CONTAINERS.berth("inspect", name).out()).get(0).path("Id").asString();
    }

    @Test
    void pruneRemovesExitedContainersAndReportsTheirOwnChanges() throws Exception {
        Result exited = run("--name", "done", "-u", "0", "IMAGE", "head -c 5000 /dev/zero > /tmp/five-k");
        assertThat(exited.exit()).as(exited.err()).isZero();
        Result running = run("-d", "--name", "up", "IMAGE", "sleep 1000");
        assertThat(running.exit()).as(running.err()).isZero();
        String done = id("done");

        Result asked = prune(new File("/dev/null"));
        assertThat(asked.out()).isEqualTo("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ");
        assertThat(CONTAINERS.root().resolve("containers").resolve(done)).isDirectory();

        Result pruned = prune(new File("/dev/null"), "-f");
        assertThat(pruned.exit()).as(pruned.err()).isZero();
        assertThat(pruned.out()).isEqualTo("Deleted Containers:\n" + done + "\n\nTotal reclaimed space: 5kB\n");
        assertThat(CONTAINERS.root().resolve("containers").resolve(done)).doesNotExist();
        assertThat(CONTAINERS.berth("ps", "-a", "--format", "{{.Names}}").out().lines()).containsExactly("up");

        assertThat(prune(new File("/dev/null"), "-f").out()).isEqualTo("Total reclaimed space: 0B\n");
        assertThat(CONTAINERS.berth("rm", "-f", "up").exit()).isZero();
    }
}
