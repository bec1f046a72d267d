package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.ImageReference;
import dev.berth.runtime.image.ImageRecord;
import dev.berth.runtime.image.ImageStore;
import dev.berth.testing.Cli;
import dev.berth.testing.DatabaseNeutral;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Images out of the runtime's store, against real registries and real skopeo: {@code berth push}
 * to Berth and to CNCF distribution (pulled back by skopeo with the same digests; a second push
 * skips every layer; a push to another repository mounts), and {@code berth save} / {@code load}
 * round trips that skopeo reads and writes too.
 */
@DatabaseNeutral
@ExtendWith(SharedBerth.class)
class ImagesOutIT {

    private static BerthProcess berth;
    private static RegistryHttp metrics;
    private static Skopeo skopeo;
    private static Distribution distribution;
    private static Path work;
    private static Path root;
    private static TestImage image;
    private static String source;

    @BeforeAll
    static void setUp(BerthProcess shared) throws Exception {
        berth = shared;
        metrics = new RegistryHttp(berth);
        work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "images-out-");
        skopeo = Skopeo.require(work);
        image = TestImages.ociLayout(work.resolve("source"), "images out " + work.getFileName(), "v1");
        distribution = Distribution.start(work.resolve("distribution"));
        root = work.resolve("root");
        source = berth.hostPort() + "/" + SkopeoIT.unique("out/src") + ":v1";
        skopeo.copy(image.ociReference(), "docker://" + source, "--dest-tls-verify=false");
        Cli pulled = berth("pull", source);
        assertThat(pulled.exit()).as(pulled.err()).isZero();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (distribution != null) {
            distribution.close();
        }
        TestFiles.deleteRecursively(work);
    }

    private static Cli berth(String command, String... args) {
        return berthIn(root, command, args);
    }

    private static Cli berthIn(Path store, String command, String... args) {
        return Cli.run(Stream.concat(Stream.of(command, "--root", store.toString()), Stream.of(args)).toArray(String[]::new));
    }

    @Test
    void pushesToBerthSkipsWhatIsThereAndMountsIntoAnotherRepository() throws Exception {
        // "localhost", not 127.0.0.1: no local image names this registry yet, so nothing can be mounted at first.
        pushSkipAndMount("localhost:" + berth.port(), true);
    }

    @Test
    void pushesToDistributionSkipsWhatIsThereAndMountsIntoAnotherRepository() throws Exception {
        pushSkipAndMount(distribution.hostPort(), false);
    }

    private void pushSkipAndMount(String registry, boolean measure) throws Exception {
        String repository = SkopeoIT.unique("out/app");
        String target = registry + "/" + repository + ":v1";
        assertThat(berth("tag", source, target).exit()).isZero();

        Cli first = berth("push", target);
        Cli second = berth("push", target);

        String lastLine = "v1: digest: " + image.manifestDigest() + " size: " + image.manifest().length;
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out().lines().toList()).hasSize(4)
                .startsWith("The push refers to repository [" + registry + "/" + repository + "]")
                .endsWith(lastLine);
        assertThat(first.out().lines().filter(l -> l.matches("[0-9a-f]{12}: Pushed"))).hasSize(2);
        assertThat(skopeo.succeed("inspect", "--raw", "--tls-verify=false", "docker://" + target).stdoutBytes())
                .as("the manifest's exact bytes").isEqualTo(image.manifest());
        String pulledBack = skopeo.copy("docker://" + target, "oci:" + work.resolve(repository.replace('/', '-')) + ":v1",
                "--src-tls-verify=false");
        assertThat(pulledBack).isEqualTo(image.manifestDigest());
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out().lines().filter(l -> l.matches("[0-9a-f]{12}: Layer already exists"))).hasSize(2);
        assertThat(second.out()).doesNotContain("Pushed").endsWith(lastLine + "\n");

        String other = registry + "/" + SkopeoIT.unique("out/copy") + ":v1";
        assertThat(berth("tag", source, other).exit()).isZero();
        double before = measure ? metrics.pushedBytes() : 0;
        Cli mounted = berth("push", other);
        double sent = measure ? metrics.pushedBytes() - before : 0;

        assertThat(mounted.exit()).as(mounted.err()).isZero();
        assertThat(mounted.out().lines().filter(l -> l.matches("[0-9a-f]{12}: Mounted from " + repository))).hasSize(2);
        assertThat(sent).as("bytes uploaded for a mounted push").isLessThan(image.largestLayerSize());
        assertThat(skopeo.succeed("inspect", "--raw", "--tls-verify=false", "docker://" + other).stdoutBytes()).isEqualTo(image.manifest());
    }

    @Test
    void pushOfAnImageThatIsNotHereIsOneLine() {
        Cli missing = berth("push", "localhost:" + berth.port() + "/out/none:v1");

        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("berth: An image does not exist locally with the tag: localhost:" + berth.port()
                + "/out/none:v1\n");
    }

    @Test
    void aRegistryThatIsNotThereAndAnImageThatIsNotHereAreOneLineEach() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        String target = "127.0.0.1:" + closed + "/out/nowhere:v1";
        assertThat(berth("tag", source, target).exit()).isZero();
        Path archive = work.resolve("never-written.tar");

        Cli unreachable = berth("push", target);
        Cli noImage = berth("save", "-o", archive.toString(), "out/none:v1");
        Cli noSource = berth("tag", "out/none:v1", "out/other:v1");
        Cli byDigest = berth("tag", source, "out/other@" + image.manifestDigest());

        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err()).startsWith("berth: UNAVAILABLE: check blob ").contains("cannot reach registry 127.0.0.1:" + closed)
                .hasLineCount(1);
        assertThat(noImage.exit()).isEqualTo(1);
        assertThat(noImage.err()).isEqualTo("berth: No such image: out/none:v1\n");
        assertThat(archive).doesNotExist();
        assertThat(work).isDirectoryNotContaining(p -> p.getFileName().toString().contains("never-written"));
        assertThat(noSource.err()).isEqualTo("berth: No such image: out/none:v1\n");
        assertThat(byDigest.exit()).isEqualTo(1);
        assertThat(byDigest.err()).startsWith("berth: refusing to create a tag with a digest reference").hasLineCount(1);
    }

    @Test
    void saveThenLoadKeepsTheDigestsInBothFormatsAndSkopeoReadsWhatBerthSaves() throws Exception {
        for (String format : List.of("docker-archive", "oci-archive")) {
            Path archive = work.resolve("saved-" + format + ".tar");
            Path other = work.resolve("loaded-" + format);

            Cli saved = berth("save", "--format", format, "-o", archive.toString(), source);
            Cli loaded = berthIn(other, "load", "-i", archive.toString());

            assertThat(saved.exit()).as(saved.err()).isZero();
            assertThat(loaded.exit()).as(loaded.err()).isZero();
            assertThat(loaded.out()).isEqualTo("Loaded image: " + source + "\n");
            ImageRecord record = new ImageStore(other).find(ImageReference.parse(source)).orElseThrow();
            assertThat(record.manifest()).hasToString(image.manifestDigest());
            assertThat(record.config()).hasToString(image.configDigest());
            Cli listed = berthIn(other, "images");
            assertThat(listed.out()).contains(image.configDigest().substring(7, 19));

            Path layout = work.resolve("skopeo-from-" + format);
            String copied = skopeo.copy(format + ":" + archive, "oci:" + layout + ":v1");
            JsonNode manifest = TestImages.readJson(layout.resolve("blobs/sha256").resolve(TestFiles.hex(copied)));
            assertThat(manifest.path("config").path("digest").asString()).as("skopeo read the config from " + format)
                    .isEqualTo(image.configDigest());
            if (format.equals("oci-archive")) {
                assertThat(copied).as("an OCI archive keeps the manifest's bytes").isEqualTo(image.manifestDigest());
            }
        }
    }

    @Test
    void loadsWhatSkopeoWritesAsADockerArchiveAndAsAnOciArchive() throws Exception {
        Path dockerArchive = work.resolve("skopeo.docker.tar");
        Path ociArchive = work.resolve("skopeo.oci.tar");
        skopeo.succeed("copy", image.ociReference(), "docker-archive:" + dockerArchive + ":example.com/out/skopeo:v1");
        skopeo.succeed("copy", image.ociReference(), "oci-archive:" + ociArchive + ":example.com/out/skopeo:v2");
        Path other = work.resolve("loaded-from-skopeo");

        Cli fromDocker = berthIn(other, "load", "-i", dockerArchive.toString());
        Cli fromOci = berthIn(other, "load", "-i", ociArchive.toString());

        assertThat(fromDocker.exit()).as(fromDocker.err()).isZero();
        assertThat(fromDocker.out()).isEqualTo("Loaded image: example.com/out/skopeo:v1\n");
        assertThat(fromOci.exit()).as(fromOci.err()).isZero();
        assertThat(fromOci.out()).isEqualTo("Loaded image: example.com/out/skopeo:v2\n");
        ImageStore loaded = new ImageStore(other);
        assertThat(loaded.find(ImageReference.parse("example.com/out/skopeo:v1")).orElseThrow().config()).hasToString(image.configDigest());
        assertThat(loaded.find(ImageReference.parse("example.com/out/skopeo:v2")).orElseThrow().manifest())
                .hasToString(image.manifestDigest());
        assertThat(other.resolve("ingest")).isEmptyDirectory();
    }

    @Test
    void dockerLoadsWhatBerthSavesAndBerthLoadsWhatDockerSaves() throws Exception {
        Path saved = work.resolve("for-docker.tar");
        Path fromDocker = work.resolve("from-docker.tar");
        Path other = work.resolve("loaded-from-docker");
        assertThat(berth("save", "-o", saved.toString(), source).exit()).isZero();
        try (PrivateDockerd dockerd = PrivateDockerd.start()) {
            Exec.Result loaded = dockerd.docker("load", "--input", saved.toString()).succeed();
            Exec.Result inspected = dockerd.docker("image", "inspect", "--format", "{{.Id}}", source).succeed();
            dockerd.docker("save", "--output", fromDocker.toString(), source).succeed();

            assertThat(loaded.stdout()).contains("Loaded image: " + source);
            assertThat(inspected.stdout().strip()).as("docker's image id is the config digest").isEqualTo(image.configDigest());
        }

        Cli back = berthIn(other, "load", "-i", fromDocker.toString());

        assertThat(back.exit()).as(back.err()).isZero();
        assertThat(back.out()).isEqualTo("Loaded image: " + source + "\n");
        assertThat(new ImageStore(other).find(ImageReference.parse(source)).orElseThrow().config()).hasToString(image.configDigest());
    }

    @Test
    void podmanLoadsWhatBerthSavesAndBerthLoadsBothOfPodmansFormats() throws Exception {
        String podmanBinary = Tools.require("podman", "podman");
        ContainersConfig config = ContainersConfig.create(work.resolve("podman-config"));
        java.util.function.Function<String[], Exec.Result> podman = args -> Exec.of(Stream.concat(Stream.of(podmanBinary),
                Stream.of(args)).toList()).env(config.environment()).timeout(java.time.Duration.ofMinutes(3)).succeed();
        Path saved = work.resolve("for-podman.tar");
        assertThat(berth("save", "-o", saved.toString(), source).exit()).isZero();

        Exec.Result loaded = podman.apply(new String[] {"load", "--input", saved.toString()});
        String id = podman.apply(new String[] {"image", "inspect", "--format", "{{.Id}}", source}).stdout().strip();
        Path dockerFormat = work.resolve("from-podman.docker.tar");
        Path ociFormat = work.resolve("from-podman.oci.tar");
        podman.apply(new String[] {"save", "--output", dockerFormat.toString(), source});
        podman.apply(new String[] {"save", "--format", "oci-archive", "--output", ociFormat.toString(), source});
        Path other = work.resolve("loaded-from-podman");
        Cli fromDocker = berthIn(other, "load", "-i", dockerFormat.toString());
        Cli fromOci = berthIn(work.resolve("loaded-from-podman-oci"), "load", "-i", ociFormat.toString());

        assertThat(loaded.stdout()).contains("Loaded image: " + source);
        assertThat("sha256:" + id).as("podman's image id is the config digest").isEqualTo(image.configDigest());
        assertThat(fromDocker.exit()).as(fromDocker.err()).isZero();
        assertThat(fromDocker.out()).isEqualTo("Loaded image: " + source + "\n");
        assertThat(fromOci.exit()).as(fromOci.err()).isZero();
        assertThat(fromOci.out()).isEqualTo("Loaded image: " + source + "\n");
        assertThat(new ImageStore(work.resolve("loaded-from-podman-oci")).find(ImageReference.parse(source)).orElseThrow().config())
                .hasToString(image.configDigest());
    }

    @Test
    void hostileArchivesAreRefusedInOneLineAndLeaveTheStoreAsItWas() throws Exception {
        Path archive = work.resolve("to-spoil.tar");
        assertThat(berth("save", "-o", archive.toString(), source).exit()).isZero();
        Map<String, byte[]> entries = HostileTars.entries(archive);
        String biggest = entries.entrySet().stream().filter(e -> e.getKey().startsWith("blobs/sha256/") && e.getValue() != null)
                .max(java.util.Comparator.comparingInt(e -> e.getValue().length)).orElseThrow().getKey();
        Map<String, Path> hostile = new java.util.LinkedHashMap<>();
        hostile.put("entry ../x: .. is not allowed", HostileTars.with(work.resolve("dotdot.tar"), entries, "../x", null));
        hostile.put("entry /etc/x: absolute names are not allowed", HostileTars.with(work.resolve("absolute.tar"), entries, "/etc/x", null));
        hostile.put("entry manifest.json: a symbolic link to /etc/passwd", HostileTars.with(work.resolve("symlink.tar"),
                HostileTars.without(entries, "manifest.json"), "manifest.json", "/etc/passwd"));
        hostile.put("entry " + biggest + ": ", HostileTars.flipped(work.resolve("digest.tar"), entries, biggest));
        hostile.put("the archive ends inside it", HostileTars.truncated(work.resolve("truncated.tar"), archive, biggest));
        byte[] index = Files.readAllBytes(root.resolve("images.json"));
        List<String> blobs = listing(root.resolve("blobs"));
        List<String> snapshots = listing(root.resolve("snapshots"));

        for (Map.Entry<String, Path> spoiled : hostile.entrySet()) {
            Cli refused = berth("load", "-i", spoiled.getValue().toString());

            assertThat(refused.exit()).as(spoiled.getKey() + ": " + refused.out()).isEqualTo(1);
            assertThat(refused.err()).as(spoiled.getKey()).startsWith("berth: ").contains(spoiled.getKey()).hasLineCount(1);
            assertThat(refused.out()).isEmpty();
            assertThat(root.resolve("images.json")).hasBinaryContent(index);
            assertThat(listing(root.resolve("blobs"))).isEqualTo(blobs);
            assertThat(listing(root.resolve("snapshots"))).isEqualTo(snapshots);
            assertThat(root.resolve("ingest")).isEmptyDirectory();
        }
    }

    @Test
    void savesToStandardOutputAndLoadsFromStandardInputThroughTheLauncher() throws Exception {
        Path archive = work.resolve("through-stdout.tar");
        Path other = work.resolve("loaded-from-stdin");
        Path berthCommand = BerthProcess.targetDir().resolve("berth");

        Exec.Result saved = Exec.of(berthCommand.toString(), "save", "--root", root.toString(), source)
                .env(Map.of("JAVA_HOME", System.getProperty("java.home"))).run();
        Files.write(archive, saved.stdoutBytes());
        ProcessBuilder load = new ProcessBuilder(berthCommand.toString(), "load", "--root", other.toString())
                .redirectInput(archive.toFile()).redirectErrorStream(true);
        load.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process loading = load.start();
        String output = new String(loading.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(saved.exitCode()).as(saved.stderr()).isZero();
        assertThat(loading.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(loading.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("Loaded image: " + source + "\n");
        assertThat(new ImageStore(other).find(ImageReference.parse(source)).orElseThrow().manifest()).hasToString(image.manifestDigest());
    }

    @Test
    void aLayerFourTimesTheHeapLoadsPushesAndSavesThroughTheLauncher() throws Exception {
        Path dir = Files.createDirectories(work.resolve("big"));
        Path archive = BigImage.ociArchive(dir, 128L << 20, "mem.example/big:1");
        Path store = dir.resolve("root");
        String target = distribution.hostPort() + "/" + SkopeoIT.unique("out/big") + ":1";
        Map<String, String> env = Map.of("JAVA_HOME", System.getProperty("java.home"), "BERTH_JAVA_OPTS", "-Xmx32m");
        String berthCommand = BerthProcess.targetDir().resolve("berth").toString();

        Exec.Result loaded = Exec.of(berthCommand, "load", "--root", store.toString(), "-i", archive.toString()).env(env).run();
        Exec.Result tagged = Exec.of(berthCommand, "tag", "--root", store.toString(), "mem.example/big:1", target).env(env).run();
        Exec.Result pushed = Exec.of(berthCommand, "push", "--root", store.toString(), target).env(env).run();
        Path saved = dir.resolve("saved.tar");
        Exec.Result save = Exec.of(berthCommand, "save", "--root", store.toString(), "-o", saved.toString(), "mem.example/big:1")
                .env(env).run();

        assertThat(loaded.exitCode()).as(loaded.describe()).isZero();
        assertThat(tagged.exitCode()).as(tagged.describe()).isZero();
        assertThat(pushed.exitCode()).as(pushed.describe()).isZero();
        assertThat(pushed.stdout()).contains(": Pushed");
        assertThat(save.exitCode()).as(save.describe()).isZero();
        assertThat(Files.size(saved)).isGreaterThan(128L << 20);
        byte[] served = skopeo.succeed("inspect", "--raw", "--tls-verify=false", "docker://" + target).stdoutBytes();
        assertThat(new ImageStore(store).find(ImageReference.parse("mem.example/big:1")).orElseThrow().manifest())
                .hasToString(TestFiles.digest(served));
    }

    private static List<String> listing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
