package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.berth.testing.Requirements;
import dev.berth.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real server whose data directory (blobs, uploads and the H2 database) is on a 64 MiB tmpfs
 * that pushes fill up: the push that runs out of room is refused with 507 and leaves nothing
 * behind, reads keep answering, health says DOWN, cancelling the upload frees its bytes, and once
 * space is back pushes work again, all without a restart.
 */
class DiskFullIT {

    private static final long MIB = 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private Path mount;
    private BerthProcess berth;
    private RegistryHttp registry;

    @BeforeEach
    void mountSmallFileSystem() throws IOException {
        Requirements.root();
        Requirements.executable("mount", "mount");
        Files.createDirectories(BerthProcess.workRoot());
        mount = Files.createTempDirectory(BerthProcess.workRoot(), "small-fs-");
        Exec.of("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount.toString()).succeed();
    }

    @AfterEach
    void unmount() throws IOException {
        try {
            if (berth != null) {
                berth.close();
            }
        } finally {
            if (mount != null) {
                Exec.of("umount", mount.toString()).succeed();
                Files.delete(mount);
            }
        }
    }

    @Test
    void aPushThatRunsOutOfRoomIsRefusedWith507AndEverythingElseGoesOn() throws Exception {
        berth = BerthProcess.startUnder(mount, "disk-full", "-Xmx256m", "-Dberth.storage.min-free-space=8MB");
        registry = new RegistryHttp(berth);
        Image image = pushImage("full/app", 1);

        // Chunks with a Content-Length: the one that does not fit is refused before it is read.
        URI upload = registry.startUpload("full/app");
        long acknowledged = 0;
        HttpResponse<String> refused = null;
        for (long seed = 10; refused == null && seed < 20; seed++) {
            HttpResponse<String> chunk = registry.patch(upload, new SeededBytes(seed, 16 * MIB), acknowledged, 16 * MIB);
            if (chunk.statusCode() == 202) {
                acknowledged += 16 * MIB;
            } else {
                refused = chunk;
            }
        }
        assertDiskFull(refused);
        assertThat(acknowledged).isPositive();
        // A stream of unknown length (chunked transfer coding) is stopped at the reserve while it arrives.
        assertDiskFull(patchStreamed(upload, new SeededBytes(30, 32 * MIB)));
        assertThat(registry.uploadStatus(upload).headers().firstValue("Range")).hasValue("0-" + (acknowledged - 1));
        assertThat(stagedBytes()).as("staged bytes: only the acknowledged chunks").isEqualTo(acknowledged);
        String big = SeededBytes.digest(40, 24 * MIB);
        assertDiskFull(registry.pushWhole("full/app", big, () -> new SeededBytes(40, 24 * MIB), 24 * MIB));
        assertThat(stagedBytes()).isEqualTo(acknowledged);
        assertThat(blobFiles()).as("no half blob").hasSize(2);

        assertReadsAnswer(image);

        // Something else takes what the reserve kept free: health says so, and even a small push is refused.
        Path filler = mount.resolve("filler");
        try (var out = Files.newOutputStream(filler)) {
            SeededBytes.slice(new SeededBytes(50, Long.MAX_VALUE), Files.getFileStore(mount).getUsableSpace() - 4 * MIB).transferTo(out);
        }
        assertThat(health().path("status").asString()).isEqualTo("DOWN");
        assertThat(health().path("components").path("storage").path("status").asString()).isEqualTo("DOWN");
        String small = SeededBytes.digest(60, 1000);
        assertDiskFull(registry.pushWhole("full/app", small, () -> new SeededBytes(60, 1000), 1000));
        assertReadsAnswer(image);

        HttpResponse<String> cancelled = send(HttpRequest.newBuilder(upload).DELETE());
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(204);
        assertThat(stagedBytes()).isZero();
        assertThat(health().path("status").asString()).as(health().toString()).isEqualTo("UP");

        RegistryHttp.expect(registry.pushWhole("full/app", small, () -> new SeededBytes(60, 1000), 1000), 201);
        RegistryHttp.expect(registry.pushWhole("full/app", big, () -> new SeededBytes(40, 24 * MIB), 24 * MIB), 201);
        assertThat(registry.pull("full/app", big).digest()).isEqualTo(big);
        pushImage("full/other", 2);
        assertThat(berth.isAlive()).isTrue();
    }

    @Test
    void whenTheDiskFillsToTheLastByteTheDatabaseWorksAgainOnceSpaceIsFreed() throws Exception {
        assumeFalse(TestDatabase.isPostgres(), "it is the embedded H2 that closes itself on a full disk");
        berth = BerthProcess.startUnder(mount, "disk-full-h2", "-Xmx256m", "-Dberth.storage.min-free-space=0");
        registry = new RegistryHttp(berth);
        Image image = pushImage("full/app", 1);

        // No reserve: chunks, smaller and smaller, until not one byte more fits.
        URI upload = registry.startUpload("full/app");
        long acknowledged = 0;
        long seed = 100;
        for (long size : new long[] {16 * MIB, MIB, 64 * 1024, 4096, 1}) {
            for (int status = 202; status == 202; seed++) {
                HttpResponse<String> chunk = registry.patch(upload, new SeededBytes(seed, size), acknowledged, size);
                status = chunk.statusCode();
                if (status == 202) {
                    acknowledged += size;
                } else {
                    assertDiskFull(chunk);
                }
            }
        }
        // Now the database's own writes fail; each says so, and none is a bare 500.
        int refusedWrites = 0;
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> started = send(HttpRequest.newBuilder(berth.uri("/v2/full/app/blobs/uploads/"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(started.statusCode()).as(started.body()).isIn(202, 507);
            if (started.statusCode() == 507) {
                assertDiskFull(started);
                refusedWrites++;
            }
        }
        assertThat(refusedWrites).as("database writes refused on the full disk").isPositive();
        assertReadsAnswer(image);
        assertThat(health().path("components").path("storage").path("status").asString()).isEqualTo("DOWN");

        HttpResponse<String> cancelled = send(HttpRequest.newBuilder(upload).DELETE());
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(204);
        assertThat(Files.exists(berth.dataDir().resolve("uploads").resolve(RegistryHttp.uploadId(upload)))).isFalse();

        assertReadsAnswer(image);
        pushImage("full/after", 3);
        assertThat(health().path("status").asString()).as(health().toString()).isEqualTo("UP");
        assertThat(berth.isAlive()).isTrue();
    }

    /** A pushed image: its layer, config and manifest. */
    private record Image(String repository, String layer, long layerSize, byte[] manifest) {
    }

    private Image pushImage(String repository, long seed) throws Exception {
        long layerSize = MIB + seed;
        String layer = SeededBytes.digest(seed, layerSize);
        RegistryHttp.expect(registry.pushWhole(repository, layer, () -> new SeededBytes(seed, layerSize), layerSize), 201);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"seed\":" + seed + "}")
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = TestFiles.digest(config);
        RegistryHttp.expect(registry.pushWhole(repository, configDigest, () -> new java.io.ByteArrayInputStream(config), config.length), 201);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layer + "\",\"size\":" + layerSize + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        RegistryHttp.expect(registry.putManifest(repository, "1.0", MANIFEST_TYPE, manifest), 201);
        return new Image(repository, layer, layerSize, manifest);
    }

    private void assertReadsAnswer(Image image) throws Exception {
        HttpResponse<byte[]> manifest = registry.getManifest(image.repository(), "1.0", MANIFEST_TYPE);
        assertThat(manifest.statusCode()).as(() -> new String(manifest.body(), StandardCharsets.UTF_8) + berth.logTail()).isEqualTo(200);
        assertThat(manifest.body()).isEqualTo(image.manifest());
        RegistryHttp.Pulled layer = registry.pull(image.repository(), image.layer());
        assertThat(layer.status()).as(layer.error()).isEqualTo(200);
        assertThat(layer.digest()).isEqualTo(image.layer());
        HttpResponse<String> catalog = send(HttpRequest.newBuilder(berth.uri("/v2/_catalog")));
        assertThat(catalog.statusCode()).as(catalog.body()).isEqualTo(200);
        assertThat(catalog.body()).contains("\"" + image.repository() + "\"");
    }

    private static void assertDiskFull(HttpResponse<String> response) {
        assertThat(response).as("a refused request").isNotNull();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(507);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.body()).contains("\"code\":\"UNKNOWN\"").contains("disk is full");
    }

    private HttpResponse<String> patchStreamed(URI upload, InputStream body) throws Exception {
        return send(HttpRequest.newBuilder(upload).header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofInputStream(() -> body)));
    }

    private JsonNode health() throws Exception {
        return JSON.readTree(send(HttpRequest.newBuilder(berth.uri("/actuator/health"))).body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private long stagedBytes() throws IOException {
        try (Stream<Path> files = Files.list(berth.dataDir().resolve("uploads"))) {
            long total = 0;
            for (Path file : files.toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    private List<Path> blobFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(berth.dataDir().resolve("blobs"))) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
