package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.DatabaseNeutral;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** The real skopeo against a real Berth: every copy round-trips and keeps its digests. */
@DatabaseNeutral
@ExtendWith(SharedBerth.class)
class SkopeoIT {

    private static BerthProcess berth;
    private static RegistryHttp registry;
    private static Skopeo skopeo;
    private static Path work;
    private static TestImage image;

    @BeforeAll
    static void setUp(BerthProcess shared) throws IOException {
        berth = shared;
        registry = new RegistryHttp(berth);
        work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "skopeo-");
        skopeo = Skopeo.require(work);
        image = TestImages.ociLayout(work.resolve("source"), "skopeo " + work.getFileName(), "v1");
    }

    @AfterAll
    static void tearDown() throws IOException {
        TestFiles.deleteRecursively(work);
    }

    @Test
    void copiesAnOciLayoutInAndBackOutWithTheSameDigests() throws IOException {
        String repository = unique("skopeo/oci");
        String reference = docker(repository, "v1");

        String pushed = skopeo.copy(image.ociReference(), reference, "--dest-tls-verify=false");

        assertThat(pushed).as("digest skopeo wrote").isEqualTo(image.manifestDigest());
        Exec.Result raw = skopeo.succeed("inspect", "--raw", "--tls-verify=false", reference);
        assertThat(raw.stdoutBytes()).as("the manifest Berth serves is the exact bytes pushed").isEqualTo(image.manifest());
        JsonNode inspected = TestImages.JSON.readTree(skopeo.succeed("inspect", "--tls-verify=false", reference).stdout());
        assertThat(inspected.path("Digest").asString()).isEqualTo(image.manifestDigest());
        assertThat(strings(inspected.path("Layers"))).containsExactlyElementsOf(image.layerDigests());
        Exec.Result config = skopeo.succeed("inspect", "--config", "--raw", "--tls-verify=false", reference);
        assertThat(TestFiles.digest(config.stdoutBytes())).as("config blob").isEqualTo(image.configDigest());

        Path copy = work.resolve("copy-oci");
        String pulled = skopeo.copy(reference, "oci:" + copy + ":v1", "--src-tls-verify=false");

        assertThat(pulled).isEqualTo(image.manifestDigest());
        JsonNode index = TestImages.readJson(copy.resolve("index.json"));
        assertThat(index.path("manifests").path(0).path("digest").asString()).isEqualTo(image.manifestDigest());
        assertThat(verifiedBlobs(copy.resolve("blobs/sha256")))
                .as("every blob pulled back hashes to its name")
                .containsAll(image.blobDigests()).contains(image.manifestDigest());
    }

    @Test
    void listsTheTagsOfARepository() throws IOException {
        String repository = unique("skopeo/tags");
        for (String tag : List.of("v2", "latest", "v1")) {
            skopeo.copy(image.ociReference(), docker(repository, tag), "--dest-tls-verify=false");
        }

        JsonNode tags = TestImages.JSON.readTree(skopeo.succeed("list-tags", "--tls-verify=false", "docker://" + berth.hostPort() + "/" + repository).stdout());

        assertThat(strings(tags.path("Tags"))).containsExactly("latest", "v1", "v2");
    }

    @Test
    void copiesADockerArchiveInAndBackOut() throws IOException {
        Path archive = skopeo.dockerArchive(image, work.resolve("image.tar"), "berth-it/archive:v1");
        String repository = unique("skopeo/archive");
        String reference = docker(repository, "v1");

        String pushed = skopeo.copy("docker-archive:" + archive, reference, "--dest-tls-verify=false");

        Exec.Result raw = skopeo.succeed("inspect", "--raw", "--tls-verify=false", reference);
        assertThat(TestFiles.digest(raw.stdoutBytes())).as("digest of the manifest served vs. the one skopeo pushed").isEqualTo(pushed);
        JsonNode manifest = TestImages.JSON.readTree(raw.stdoutBytes());
        assertThat(manifest.path("mediaType").asString()).isEqualTo("application/vnd.docker.distribution.manifest.v2+json");
        assertThat(manifest.path("layers").size()).isEqualTo(2);

        Path copy = work.resolve("copy-dir");
        String pulled = skopeo.copy(reference, "dir:" + copy, "--src-tls-verify=false");

        assertThat(pulled).isEqualTo(pushed);
        assertThat(TestFiles.digest(copy.resolve("manifest.json"))).isEqualTo(pushed);
        List<String> referenced = new ArrayList<>(List.of(manifest.path("config").path("digest").asString()));
        manifest.path("layers").forEach(l -> referenced.add(l.path("digest").asString()));
        for (String digest : referenced) {
            assertThat(TestFiles.digest(copy.resolve(TestFiles.hex(digest)))).as("pulled blob " + digest).isEqualTo(digest);
        }
    }

    @Test
    void deletingAManifestByDigestRemovesItAndItsTags() throws IOException {
        String repository = unique("skopeo/delete");
        skopeo.copy(image.ociReference(), docker(repository, "v1"), "--dest-tls-verify=false");
        skopeo.copy(image.ociReference(), docker(repository, "also"), "--dest-tls-verify=false");

        skopeo.succeed("delete", "--tls-verify=false", "docker://" + berth.hostPort() + "/" + repository + "@" + image.manifestDigest());

        for (String reference : List.of(docker(repository, "v1"), docker(repository, "also"),
                "docker://" + berth.hostPort() + "/" + repository + "@" + image.manifestDigest())) {
            Exec.Result inspect = skopeo.run("inspect", "--raw", "--tls-verify=false", reference);
            assertThat(inspect.succeeded()).as("inspect after delete must fail: " + inspect.describe()).isFalse();
            assertThat(inspect.stderr()).as(inspect.describe()).contains("manifest unknown");
        }
        JsonNode tags = TestImages.JSON.readTree(skopeo.succeed("list-tags", "--tls-verify=false", "docker://" + berth.hostPort() + "/" + repository).stdout());
        assertThat(strings(tags.path("Tags"))).isEmpty();
    }

    @Test
    void copiesBetweenRepositoriesByMountingTheBlobsInsteadOfSendingThem() throws IOException, InterruptedException {
        String source = unique("skopeo/mount-from");
        String target = unique("skopeo/mount-to");
        skopeo.copy(image.ociReference(), docker(source, "v1"), "--dest-tls-verify=false");
        double before = registry.pushedBytes();

        String copied = skopeo.copy(docker(source, "v1"), docker(target, "v1"), "--src-tls-verify=false", "--dest-tls-verify=false");

        double sent = registry.pushedBytes() - before;
        assertThat(copied).isEqualTo(image.manifestDigest());
        assertThat(sent).as("bytes pushed for the copy: the layers (largest " + image.largestLayerSize() + " bytes) must be mounted, not uploaded")
                .isLessThan(image.largestLayerSize());
        assertThat(skopeo.succeed("inspect", "--raw", "--tls-verify=false", docker(target, "v1")).stdoutBytes()).isEqualTo(image.manifest());
        for (String digest : image.blobDigests()) {
            RegistryHttp.Pulled blob = registry.pull(target, digest);
            assertThat(blob.status()).as("GET mounted blob " + digest + ": " + blob.error()).isEqualTo(200);
            assertThat(blob.digest()).isEqualTo(digest);
        }
    }

    private static String docker(String repository, String tag) {
        return "docker://" + berth.hostPort() + "/" + repository + ":" + tag;
    }

    static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime(), 36);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    /** The digests of the files in an OCI blobs dir, each checked against its name. */
    static List<String> verifiedBlobs(Path dir) throws IOException {
        List<String> digests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String digest = TestFiles.digest(file);
                assertThat(digest).as("file " + file + " holds other bytes than its name says").isEqualTo("sha256:" + file.getFileName());
                digests.add(digest);
            }
        }
        return digests;
    }
}
