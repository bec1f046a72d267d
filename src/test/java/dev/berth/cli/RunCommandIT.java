package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.RunProcess.Result;
import dev.berth.oci.Descriptor;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.testing.BusyboxImage;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.GzipBomb;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.Requirements;
import dev.berth.testing.TestImage;
import dev.berth.testing.TestLayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code berth run} end to end, as root with runc: busybox images built here, pushed to a real Berth,
 * pulled and run by the real jar in its own process (exit codes, inherited stdio, signals).
 */
@DatabaseNeutral
class RunCommandIT extends RegistryIntegrationTest {

    private static final Path ROOT = tempRoot();
    private static String repo;
    private static String zstdRepo;

    @BeforeEach
    void pushOnce() throws Exception {
        Requirements.root();
        Requirements.executable("runc", "runc");
        Requirements.executable("ip", "iproute2");
        if (repo != null) {
            return;
        }
        RegistryPusher pusher = new RegistryPusher(uri("/"));
        String name = uniqueName("run");
        BusyboxImage.image(MediaType.OCI_LAYER_GZIP).push(pusher, name, "latest");
        String zstd = uniqueName("zstd");
        Descriptor host = BusyboxImage.image(MediaType.OCI_LAYER_ZSTD).push(pusher, zstd, "host");
        Descriptor other = TestImage.create().platform(new Platform("linux", "riscv64", null))
                .layer(TestLayer.create().file("x", "x", 0644), MediaType.OCI_LAYER_TAR).push(pusher, zstd, "other");
        TestImage.pushIndex(pusher, zstd, "multi", List.of(other, host));
        repo = name;
        zstdRepo = zstd;
    }

    @AfterAll
    static void cleanUp() throws IOException {
        RunProcess.removeRoot(ROOT);
    }

    private String image() {
        return "127.0.0.1:" + port + "/" + repo;
    }

    private Result berth(String... args) throws Exception {
        return RunProcess.run(ROOT, args);
    }

    @Test
    void runsTheImagesCommandAsItsUserInItsWorkdirAndExitsWithItsCode() throws Exception {
        Result r = berth("--rm", image());

        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("hello from /srv as 1000:1000 groups 1000 50\n");
        try (Stream<Path> containers = Files.list(ROOT.resolve("containers"))) {
            assertThat(containers).isEmpty();
        }
    }

    @Test
    void flagsOverrideEnvWorkdirUserAndCmd() throws Exception {
        Result r = berth("--rm", "-e", "GREETING=hi", "-e", "EXTRA=1", "-w", "/tmp/new", "-u", "0:50", "--hostname", "boxy",
                image(), "echo $GREETING $EXTRA; pwd; id -u; id -g; hostname; cat /etc/hostname");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("hi 1\n/tmp/new\n0\n50\nboxy\nboxy\n");
    }

    @Test
    void theSecondLayerDeletesAndReplacesFiles() throws Exception {
        Result r = berth("--rm", image(), "ls /var/cache; cat /srv/hello; test -e /etc/motd || echo motd gone");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("new\nhello from layer two\nmotd gone\n");
    }

    @Test
    void aVolumeIsSharedAndAReadOnlyRootRefusesWrites() throws Exception {
        Path volume = Files.createDirectories(ROOT.resolve("volume-" + System.nanoTime()));
        Files.writeString(volume.resolve("in"), "from the host");

        Result r = berth("--rm", "--read-only", "-u", "0", "-v", volume + ":/data", "-v", volume + ":/ro:ro", image(),
                "cat /data/in; echo; echo out > /data/out; touch /ro/x 2>/dev/null || echo ro volume;"
                        + " touch /rootfile 2>/dev/null || echo ro root");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("from the host\nro volume\nro root\n");
        assertThat(volume.resolve("out")).hasContent("out");
        assertThat(volume.resolve("x")).doesNotExist();
    }

    @Test
    void aContainerOverItsMemoryLimitIsKilledWith137() throws Exception {
        Result r = berth("--rm", "-m", "16m", image(), "a=$(head -c 64m /dev/zero | tr '\\0' a); echo survived");

        assertThat(r.exit()).as(r.err()).isEqualTo(137);
        assertThat(r.out()).doesNotContain("survived");
    }

    @Test
    void thePidsLimitStopsForks() throws Exception {
        String script = "for i in 1 2 3 4 5 6; do sleep 1 & done; wait; echo done";
        Result limited = berth("--rm", "--pids-limit", "4", image(), script);
        Result roomy = berth("--rm", "--pids-limit", "50", image(), script);

        assertThat(limited.exit()).isNotZero();
        assertThat(limited.err()).contains("can't fork");
        assertThat(limited.out()).doesNotContain("done");
        assertThat(roomy.exit()).as(roomy.err()).isZero();
        assertThat(roomy.out()).isEqualTo("done\n");
    }

    @Test
    void networkNoneHasOnlyLoopbackAndHostHasTheHosts() throws Exception {
        Result none = berth("--rm", image(), "ls /sys/class/net; cat /sys/class/net/lo/operstate");
        Result host = berth("--rm", "--network", "host", image(), "ls /sys/class/net | wc -l");

        assertThat(none.exit()).as(none.err()).isZero();
        assertThat(none.out()).isEqualTo("lo\nunknown\n");
        assertThat(host.exit()).as(host.err()).isZero();
        assertThat(Integer.parseInt(host.out().trim())).isGreaterThan(1);
    }

    @Test
    void pullsTheHostsImageFromAMultiPlatformIndexWithZstdLayers() throws Exception {
        Result r = berth("--rm", "127.0.0.1:" + port + "/" + zstdRepo + ":multi", "cat /srv/hello");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("hello from layer two\n");
        assertThat(r.err()).contains("Unable to find image").contains("Pull complete");
    }

    @Test
    void aMaliciousLayerIsRefusedBeforeAnythingRuns() throws Exception {
        String evil = uniqueName("evil");
        TestImage.create().layer(TestLayer.create().symlink("etc", "/").file("etc/berth-escaped", "x", 0644),
                MediaType.OCI_LAYER_GZIP).execution("{\"Cmd\":[\"/bin/sh\"]}").push(new RegistryPusher(uri("/")), evil, "v1");

        Result r = berth("--rm", "127.0.0.1:" + port + "/" + evil + ":v1");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines().filter(l -> l.startsWith("berth: "))).singleElement().asString()
                .contains(": entry etc/berth-escaped: refused: writes through the symlink etc");
        assertThat(Path.of("/berth-escaped")).doesNotExist();
    }

    @Test
    void aLayerLargerThanTheMaxUnpackedSizeIsRefusedBeforeAnythingRuns() throws Exception {
        String bombRepo = uniqueName("bomb");
        GzipBomb bomb = GzipBomb.of(1, 8, 0);
        TestImage.create().layer(bomb.gzip(), MediaType.OCI_LAYER_GZIP, bomb.diffId()).execution("{\"Cmd\":[\"/bin/sh\"]}")
                .push(new RegistryPusher(uri("/")), bombRepo, "v1");
        String ref = "127.0.0.1:" + port + "/" + bombRepo + ":v1";

        Result flag = berth("--rm", "--max-unpacked-size", "1m", ref);
        Result env = RunProcess.start(ROOT, Map.of("BERTH_MAX_UNPACKED_SIZE", "2m"), new java.io.File("/dev/null"), "--rm", ref)
                .finish();

        String refusal = "berth: layer " + dev.berth.oci.Digest.sha256(bomb.gzip()) + ": entry zeros/0: refused: the layer "
                + "unpacks to more than %s, the limit (--max-unpacked-size, BERTH_MAX_UNPACKED_SIZE)";
        assertThat(flag.exit()).isEqualTo(1);
        assertThat(flag.err().lines().filter(l -> l.startsWith("berth: "))).containsExactly(refusal.formatted("1 MiB"));
        assertThat(env.exit()).isEqualTo(1);
        assertThat(env.err().lines().filter(l -> l.startsWith("berth: "))).containsExactly(refusal.formatted("2 MiB"));
        try (Stream<Path> snapshots = Files.list(ROOT.resolve("snapshots"))) {
            assertThat(snapshots.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("tmp-"));
        }
        assertThat(ROOT.resolve("ingest")).isEmptyDirectory();
    }

    @Test
    void sigtermToBerthReachesTheContainer() throws Exception {
        RunProcess s = RunProcess.start(ROOT, Map.of(), new java.io.File("/dev/null"), "--rm", image(),
                "trap 'echo got TERM; exit 7' TERM; echo started; sleep 120 & wait");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(s.out()).contains("started") && s.process().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        s.process().destroy();
        Result r = s.finish();

        assertThat(r.exit()).as(r.err()).isEqualTo(7);
        assertThat(r.out()).isEqualTo("started\ngot TERM\n");
    }

    @Test
    void interactivePassesStdinThrough() throws Exception {
        Path input = Files.writeString(ROOT.resolve("stdin-" + System.nanoTime()), "piped input\n");
        Result r = RunProcess.start(ROOT, Map.of(), input.toFile(), "--rm", "-i", image(), "cat; echo eof").finish();

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("piped input\neof\n");
    }

    @Test
    void crunFallsBackToRuncWhereItCannotRun() throws Exception {
        Requirements.executable("crun", "crun");
        Path unified = Path.of("/sys/fs/cgroup/unified/cgroup.controllers");
        boolean hybrid = !Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) && Files.isRegularFile(unified)
                && !Files.readString(unified).isBlank();

        Result r = berth("--rm", "--runtime", "crun", image(), "echo ran");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("ran\n");
        if (hybrid) {
            assertThat(r.err()).contains("berth: crun cannot run containers here (cgroups in hybrid mode").contains("; using runc");
        } else {
            assertThat(r.err()).doesNotContain("using runc");
        }
    }

    @Test
    void badInputIsOneLineAndNonZero() throws Exception {
        Result unknown = berth("--rm", "127.0.0.1:" + port + "/" + repo + ":nope");
        Result badFlag = berth("--rm", "--network", "no-such-network", image());
        Result badUser = berth("--rm", "-u", "ghost", image());

        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("berth: MANIFEST_UNKNOWN: pull manifest");
        assertThat(badFlag.exit()).isEqualTo(1);
        assertThat(badFlag.err()).isEqualTo("berth: network no-such-network not found\n");
        assertThat(badUser.exit()).isEqualTo(1);
        assertThat(badUser.err()).contains("berth: unable to find user ghost").hasLineCount(1);
    }

    private static Path tempRoot() {
        try {
            return Files.createTempDirectory("berth-run-it-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
