package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.testing.Cli;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.GzipBomb;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.TestImage;
import dev.berth.testing.TestLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth pull}, {@code images} and {@code rmi} against a real Berth over HTTP. */
@DatabaseNeutral
class PullCommandIT extends RegistryIntegrationTest {

    @TempDir
    Path root;

    private RegistryPusher pusher;

    @BeforeEach
    void setUp() {
        pusher = new RegistryPusher(uri("/"));
    }

    private String ref(String repo, String tag) {
        return "127.0.0.1:" + port + "/" + repo + ":" + tag;
    }

    private Cli berth(String... args) {
        return Cli.run(Stream.concat(Stream.of(args[0], "--root", root.toString()), Stream.of(args).skip(1)).toArray(String[]::new));
    }

    private static TestLayer base(String marker) {
        return TestLayer.create().dir("etc", 0755).file("etc/base", "base " + marker, 0644);
    }

    private Path blob(Digest d) {
        return root.resolve("blobs/sha256").resolve(d.hex().substring(0, 2)).resolve(d.hex());
    }

    @Test
    void pullsAnImageOnceAndSkipsWhatIsThere() {
        String repo = uniqueName("pull");
        TestLayer shared = base(repo);
        Descriptor first = TestImage.create().layer(shared, MediaType.OCI_LAYER_GZIP)
                .layer(TestLayer.create().file("app", "one", 0755), MediaType.OCI_LAYER_ZSTD).push(pusher, repo, "v1");
        TestImage.create().layer(shared, MediaType.OCI_LAYER_GZIP)
                .layer(TestLayer.create().file("app", "two", 0755), MediaType.OCI_LAYER_TAR).push(pusher, repo, "v2");

        Cli pulled = berth("pull", ref(repo, "v1"));
        Cli again = berth("pull", ref(repo, "v1"));
        Cli second = berth("pull", ref(repo, "v2"));

        assertThat(pulled.exit()).as(pulled.err()).isZero();
        assertThat(pulled.out()).startsWith("v1: Pulling from 127.0.0.1:" + port + "/" + repo + "\n")
                .contains(": Pull complete").doesNotContain("Already exists")
                .contains("Digest: " + first.digest())
                .contains("Status: Downloaded newer image for " + ref(repo, "v1"))
                .endsWith(ref(repo, "v1") + "\n");
        assertThat(again.out()).contains("Already exists").doesNotContain("Pull complete")
                .contains("Status: Image is up to date for " + ref(repo, "v1"));
        assertThat(second.out().lines().filter(l -> l.endsWith("Already exists"))).hasSize(1);
        assertThat(second.out().lines().filter(l -> l.endsWith("Pull complete"))).hasSize(1);
        assertThat(blob(first.digest())).exists();
        assertThat(root.resolve("ingest")).isEmptyDirectory();
    }

    @Test
    void imagesListsAndRmiRemovesOnlyWhatNoOtherImageUses() throws Exception {
        String repo = uniqueName("rmi");
        TestLayer shared = base(repo);
        TestImage one = TestImage.create().layer(shared, MediaType.OCI_LAYER_GZIP).layer(TestLayer.create().file("x", "1", 0644),
                MediaType.OCI_LAYER_GZIP);
        TestImage two = TestImage.create().layer(shared, MediaType.OCI_LAYER_GZIP);
        one.push(pusher, repo, "one");
        two.push(pusher, repo, "two");
        berth("pull", ref(repo, "one"));
        berth("pull", ref(repo, "two"));
        Digest sharedLayer = Digest.sha256(one.layerBlobs().get(0));
        Digest ownLayer = Digest.sha256(one.layerBlobs().get(1));

        Cli images = berth("images");
        Cli rmi = berth("rmi", ref(repo, "one"));
        Cli after = berth("images");
        Cli missing = berth("rmi", ref(repo, "one"));

        List<String> lines = images.out().lines().toList();
        assertThat(lines.get(0)).matches("REPOSITORY +TAG +IMAGE ID +CREATED +SIZE");
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("127\\.0\\.0\\.1:" + port + "/" + repo
                + " +one +" + Digest.sha256(one.config()).hex().substring(0, 12) + " +\\d+ \\w+ ago +\\d+B"));
        assertThat(rmi.exit()).isZero();
        assertThat(rmi.out()).contains("Untagged: " + ref(repo, "one")).contains("Deleted: " + ownLayer)
                .doesNotContain("Deleted: " + sharedLayer);
        assertThat(blob(sharedLayer)).exists();
        assertThat(blob(ownLayer)).doesNotExist();
        assertThat(after.out()).contains(" two ").doesNotContain(" one ");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("berth: no such image: " + ref(repo, "one") + "\n");
    }

    @Test
    void pullUnpacksEachLayerAndImagesShowsTheUnpackedSize() throws Exception {
        String repo = uniqueName("size");
        TestImage image = TestImage.create()
                .layer(TestLayer.create().dir("data", 0755).file("data/zeros", new byte[300_000], 0644), MediaType.OCI_LAYER_GZIP)
                .layer(TestLayer.create().file("data/more", new byte[50_000], 0644).symlink("data/link", "zeros"),
                        MediaType.OCI_LAYER_ZSTD);
        image.push(pusher, repo, "v1");

        Cli pulled = berth("pull", ref(repo, "v1"));
        Cli images = berth("images");

        assertThat(pulled.exit()).as(pulled.err()).isZero();
        List<Digest> chains = dev.berth.runtime.snapshot.SnapshotStore.chainIds(image.diffIds());
        assertThat(root.resolve("snapshots").resolve(chains.get(0).hex()).resolve("data/zeros")).hasSize(300_000);
        assertThat(root.resolve("snapshots").resolve(chains.get(1).hex()).resolve("data/more")).hasSize(50_000);
        assertThat(root.resolve("snapshots").resolve(chains.get(1).hex() + ".size")).hasContent("50005");
        // 300,000 + 50,000 + the link's 5 bytes, as docker counts them; the gzip and zstd blobs are a few hundred bytes
        assertThat(images.out().lines().filter(l -> l.contains(repo))).singleElement().asString().endsWith(" 350kB");
    }

    @Test
    void aCorruptedLayerIsRefusedAndNothingIsKept() throws Exception {
        String repo = uniqueName("corrupt");
        TestImage image = TestImage.create().layer(TestLayer.create().file("f", "to be corrupted " + repo, 0644),
                MediaType.OCI_LAYER_GZIP);
        image.push(pusher, repo, "v1");
        Digest layer = Digest.sha256(image.layerBlobs().get(0));
        Path stored = DATA_DIR.resolve("blobs/sha256").resolve(layer.hex().substring(0, 2)).resolve(layer.hex());
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length - 3] ^= 0x01;
        Files.write(stored, bytes);

        Cli pulled = berth("pull", ref(repo, "v1"));

        assertThat(pulled.exit()).isEqualTo(1);
        assertThat(pulled.err()).startsWith("berth: DIGEST_INVALID: pull blob " + layer).endsWith("refused\n")
                .hasLineCount(1);
        assertThat(blob(layer)).doesNotExist();
        assertThat(root.resolve("ingest")).isEmptyDirectory();
        assertThat(root.resolve("snapshots")).isEmptyDirectory();
        assertThat(berth("images").out().lines()).hasSize(1);
    }

    @Test
    void aLayerLargerThanTheMaxUnpackedSizeIsRefusedAndNothingIsKept() {
        String repo = uniqueName("bomb");
        GzipBomb bomb = GzipBomb.of(1, 8, 0);
        TestImage.create().layer(bomb.gzip(), MediaType.OCI_LAYER_GZIP, bomb.diffId()).push(pusher, repo, "v1");
        Digest layer = Digest.sha256(bomb.gzip());

        Cli refused = berth("pull", "--max-unpacked-size", "1m", ref(repo, "v1"));
        Cli zero = berth("pull", "--max-unpacked-size", "0", ref(repo, "v1"));
        Cli invalid = berth("pull", "--max-unpacked-size", "lots", ref(repo, "v1"));

        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("berth: layer " + layer + ": entry zeros/0: refused: the layer unpacks to more "
                + "than 1 MiB, the limit (--max-unpacked-size, BERTH_MAX_UNPACKED_SIZE)\n");
        assertThat(blob(layer)).doesNotExist();
        assertThat(root.resolve("ingest")).isEmptyDirectory();
        assertThat(root.resolve("snapshots")).isEmptyDirectory();
        assertThat(berth("images").out().lines()).hasSize(1);
        assertThat(zero.exit()).isEqualTo(1);
        assertThat(zero.err()).isEqualTo("berth: --max-unpacked-size must be positive: 0\n");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).isEqualTo("berth: --max-unpacked-size (or BERTH_MAX_UNPACKED_SIZE): invalid size lots: "
                + "expected a number with an optional unit b, k, m or g\n");

        Cli allowed = berth("pull", "--max-unpacked-size", "9m", ref(repo, "v1"));

        assertThat(allowed.exit()).as(allowed.err()).isZero();
        List<Digest> chains = dev.berth.runtime.snapshot.SnapshotStore.chainIds(List.of(bomb.diffId()));
        assertThat(root.resolve("snapshots").resolve(chains.get(0).hex()).resolve("zeros/0")).hasSize(8L << 20);
    }

    @Test
    void pullsThePlatformsImageFromAnIndex() {
        String repo = uniqueName("multi");
        Descriptor amd = TestImage.create().platform(new Platform("linux", "amd64", null))
                .layer(TestLayer.create().file("arch", "amd64", 0644), MediaType.OCI_LAYER_GZIP).push(pusher, repo, "amd64");
        Descriptor arm = TestImage.create().platform(new Platform("linux", "arm64", "v8"))
                .layer(TestLayer.create().file("arch", "arm64", 0644), MediaType.OCI_LAYER_GZIP).push(pusher, repo, "arm64");
        Digest index = TestImage.pushIndex(pusher, repo, "latest", List.of(amd, arm));

        Cli pulled = berth("pull", "--platform", "linux/arm64", ref(repo, "latest"));
        Cli wrong = berth("pull", "--platform", "linux/s390x", ref(repo, "latest"));

        assertThat(pulled.exit()).as(pulled.err()).isZero();
        assertThat(pulled.out()).contains("Digest: " + index);
        assertThat(blob(arm.digest())).exists();
        assertThat(blob(amd.digest())).doesNotExist();
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("has no image for linux/s390x; it has linux/amd64, linux/arm64/v8");
    }

    @Test
    void badInputIsOneLineAndNonZero() {
        Cli unknown = berth("pull", ref(uniqueName("none"), "v1"));
        Cli invalid = berth("pull", "Not/Valid");
        Cli platform = berth("pull", "--platform", "amd64", "busybox");

        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("berth: ").hasLineCount(1);
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).isEqualTo("berth: NAME_INVALID: invalid image reference Not/Valid: repository name must be lowercase\n");
        assertThat(platform.exit()).isEqualTo(1);
        assertThat(platform.err()).contains("os/arch[/variant]").hasLineCount(1);
    }
}
