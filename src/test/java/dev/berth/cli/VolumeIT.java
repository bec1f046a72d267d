package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.RunProcess.Result;
import dev.berth.oci.MediaType;
import dev.berth.testing.BusyboxImage;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.TestImage;
import dev.berth.testing.TestLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code -v} and {@code --tmpfs} through target/berth, as root with runc: a named volume carries data
 * from one container to the next, a {@code :ro} bind mount refuses writes, a tmpfs is one and is
 * empty on every start, and a symlink at a mount destination in a hostile image stops the run;
 * {@code volume create|ls|inspect|rm}, rm refused for a volume a container uses.
 */
@DatabaseNeutral
class VolumeIT extends RegistryIntegrationTest {

    private static final DetachedContainers CONTAINERS = new DetachedContainers("volume");
    private static final Path ROOT = CONTAINERS.root();
    private static String repo;

    @TempDir
    Path tmp;

    @BeforeEach
    void pushOnce() throws Exception {
        repo = CONTAINERS.prepare(uri("/"), () -> uniqueName("volume"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        CONTAINERS.removeAll();
    }

    private static Result berth(String command, String... args) throws Exception {
        return CONTAINERS.berth(command, args);
    }

    /** {@code berth volume SUBCOMMAND --root ROOT ARGS...}. */
    private static Result volume(String subcommand, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("volume", subcommand, "--root", ROOT.toString()));
        all.addAll(List.of(args));
        return RunProcess.command(java.util.Map.of(), all.toArray(String[]::new));
    }

    /** {@code berth run --runtime runc ARGS}, IMAGE standing for the busybox image. */
    private Result run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--runtime", "runc"));
        for (String a : args) {
            all.add(a.equals("IMAGE") ? "127.0.0.1:" + port + "/" + repo : a);
        }
        return RunProcess.run(ROOT, all.toArray(String[]::new));
    }

    @Test
    void aNamedVolumeKeepsWhatOneContainerWroteForTheNextAndIsSeededFromTheImage() throws Exception {
        Result write = run("--rm", "-u", "0", "-v", "shared:/data", "IMAGE", "echo from-first > /data/note");
        assertThat(write.exit()).as(write.err()).isZero();
        assertThat(ROOT.resolve("volumes/shared/_data/note")).hasContent("from-first");

        Result read = run("--name", "reader", "-v", "shared:/data:ro", "IMAGE", "cat /data/note; exit 0");
        assertThat(read.exit()).as(read.err()).isZero();
        assertThat(read.out()).isEqualTo("from-first\n");
        JsonNode mounts = JsonMapper.builder().build().readTree(berth("inspect", "reader").out()).get(0).path("Mounts");
        assertThat(mounts.toString()).isEqualTo("[{\"Type\":\"volume\",\"Name\":\"shared\",\"Source\":\""
                + ROOT.toAbsolutePath().resolve("volumes/shared/_data") + "\",\"Destination\":\"/data\",\"Driver\":\"local\","
                + "\"Mode\":\"ro\",\"RW\":false,\"Propagation\":\"\"}]");

        // Empty on first use: it gets the image's /srv (hello from the second layer), owners and modes kept.
        Result seeded = run("--rm", "-v", "site:/srv", "IMAGE", "cat /srv/hello");
        assertThat(seeded.exit()).as(seeded.err()).isZero();
        assertThat(seeded.out()).isEqualTo("hello from layer two\n");
        assertThat(ROOT.resolve("volumes/site/_data/hello")).hasContent("hello from layer two");
    }

    @Test
    void aReadOnlyBindMountRefusesWritesInsideTheContainer() throws Exception {
        Path host = Files.createDirectory(tmp.resolve("shared"));
        Files.writeString(host.resolve("given"), "from the host\n");

        Result ro = run("--rm", "-u", "0", "-v", host + ":/mnt/host:ro", "IMAGE", "cat /mnt/host/given; echo no > /mnt/host/x");
        assertThat(ro.exit()).isNotZero();
        assertThat(ro.out()).isEqualTo("from the host\n");
        assertThat(ro.err()).contains("Read-only file system");
        assertThat(host.resolve("x")).doesNotExist();

        Result rw = run("--rm", "-u", "0", "-v", host + ":/mnt/host", "IMAGE", "echo yes > /mnt/host/x");
        assertThat(rw.exit()).as(rw.err()).isZero();
        assertThat(host.resolve("x")).hasContent("yes");

        Result missing = run("--rm", "-v", tmp.resolve("nothing") + ":/mnt", "IMAGE", "true");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err().strip()).isEqualTo("berth: invalid mount config for type \"bind\": bind source path does not exist: "
                + tmp.resolve("nothing"));
        Result relative = run("--rm", "-v", "./x:/mnt", "IMAGE", "true");
        assertThat(relative.exit()).isNotZero();
        assertThat(relative.err().strip().lines()).hasSize(1);
    }

    @Test
    void aTmpfsIsATmpfsAndEmptyOnEveryStart() throws Exception {
        Result d = run("-d", "--name", "scratch", "--tmpfs", "/scratch:size=1m", "IMAGE",
                "echo files:$(ls -A /scratch | wc -l); grep ' /scratch ' /proc/mounts; touch /scratch/x; exit 4");
        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(berth("wait", "scratch").out()).isEqualTo("4\n");
        assertThat(berth("start", "scratch").exit()).isZero();
        assertThat(berth("wait", "scratch").out()).isEqualTo("4\n");

        List<String> logs = berth("logs", "scratch").out().lines().toList();
        assertThat(logs.stream().filter(l -> l.startsWith("files:"))).containsExactly("files:0", "files:0");
        assertThat(logs.stream().filter(l -> l.contains(" /scratch "))).hasSize(2)
                .allMatch(l -> l.startsWith("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec") && l.contains("size=1024k"));
        assertThat(berth("rm", "scratch").exit()).isZero();
    }

    @Test
    void aSymlinkAtAMountDestinationInAHostileImageStopsTheRun() throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("marker"), "host secret\n");
        String hostile = uniqueName("hostile");
        TestImage.create().layer(BusyboxImage.base(), MediaType.OCI_LAYER_GZIP)
                .layer(TestLayer.create().symlink("data", "/etc").symlink("leak", outside.toString()).dir("srv", 0755)
                        .symlink("srv/conf", "../etc"), MediaType.OCI_LAYER_GZIP)
                .execution("{\"Cmd\":[\"/bin/sh\",\"-c\",\"echo pwned > /data/marker\"],\"Env\":[\"PATH=/bin\"]}")
                .push(new RegistryPusher(uri("/")), hostile, "latest");
        String image = "127.0.0.1:" + port + "/" + hostile;
        String hostEtc = Files.readString(Path.of("/etc/passwd"));
        Path host = Files.createDirectory(tmp.resolve("bound"));

        for (List<String> mount : List.of(List.of("-v", host + ":/data"), List.of("-v", "leaked:/leak"),
                List.of("--tmpfs", "/data"), List.of("-v", "conf:/srv/conf/x"))) {
            List<String> args = new ArrayList<>(List.of("--runtime", "runc", "--rm", "-u", "0"));
            args.addAll(mount);
            args.add(image);
            Result r = RunProcess.run(ROOT, args.toArray(String[]::new));
            assertThat(r.exit()).as(mount + ": " + r.err()).isNotZero();
            String last = r.err().strip().lines().reduce((a, b) -> b).orElse(""); // after the first run's pull progress
            assertThat(last).as(mount.toString()).startsWith("berth: cannot mount on ").contains("is a symlink in the image");
            assertThat(r.err()).as(mount.toString()).containsOnlyOnce("berth: ");
        }
        assertThat(Files.readString(Path.of("/etc/passwd"))).isEqualTo(hostEtc);
        assertThat(Path.of("/etc/marker")).doesNotExist();
        assertThat(outside.resolve("marker")).hasContent("host secret");
        assertThat(ROOT.resolve("volumes/leaked/_data/marker")).doesNotExist(); // not seeded from the host
        assertThat(host).isEmptyDirectory();
    }

    @Test
    void volumeCreateLsInspectAndRmWhichRefusesAVolumeAContainerUses() throws Exception {
        assertThat(volume("create", "kept").out()).isEqualTo("kept\n");
        assertThat(volume("create", "kept").out()).isEqualTo("kept\n"); // an existing one is kept, as docker's
        Result anonymous = volume("create");
        assertThat(anonymous.out()).matches("[0-9a-f]{64}\n");
        assertThat(volume("create", "x/../y").err().strip()).startsWith("berth: invalid volume name x/../y");

        Result ls = volume("ls");
        assertThat(ls.out()).startsWith("DRIVER    VOLUME NAME\n").contains("local     kept\n")
                .contains("local     " + anonymous.out());
        assertThat(volume("ls", "-q").out().lines()).contains("kept", anonymous.out().strip());
        JsonNode inspect = JsonMapper.builder().build().readTree(volume("inspect", "kept").out());
        assertThat(inspect.get(0).path("Name").asString()).isEqualTo("kept");
        assertThat(inspect.get(0).path("Driver").asString()).isEqualTo("local");
        assertThat(inspect.get(0).path("Scope").asString()).isEqualTo("local");
        assertThat(inspect.get(0).path("Mountpoint").asString()).isEqualTo(ROOT.toAbsolutePath().resolve("volumes/kept/_data").toString());
        assertThat(inspect.get(0).path("CreatedAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        Result missing = volume("inspect", "nothing-here");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("berth: No such volume: nothing-here\n");

        // An exited container still uses its volume: refused, -f or not, with the container's id.
        Result used = run("--name", "user-of-kept", "-v", "kept:/data", "IMAGE", "true");
        assertThat(used.exit()).as(used.err()).isZero();
        String id = JsonMapper.builder().build().readTree(berth("inspect", "user-of-kept").out()).get(0).path("Id").asString();
        for (Result refused : List.of(volume("rm", "kept"), volume("rm", "-f", "kept"))) {
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).isEqualTo("berth: remove kept: volume is in use - [" + id + "]\n");
        }
        assertThat(ROOT.resolve("volumes/kept/_data")).isDirectory();

        assertThat(berth("rm", "user-of-kept").exit()).isZero();
        Result rm = volume("rm", "kept", anonymous.out().strip());
        assertThat(rm.exit()).as(rm.err()).isZero();
        assertThat(rm.out()).isEqualTo("kept\n" + anonymous.out());
        assertThat(ROOT.resolve("volumes/kept")).doesNotExist();
        Result gone = volume("rm", "kept");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("berth: get kept: no such volume\n");
        assertThat(volume("rm", "-f", "kept").exit()).isZero();
    }
}
