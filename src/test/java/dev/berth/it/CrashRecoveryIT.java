package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of a real Berth process in the middle of pushes and right after them, then a
 * restart on the same data directory and database: what was acknowledged is served intact, no
 * blob file holds bytes other than its name says, and cut-off pushes can be done again.
 */
class CrashRecoveryIT {

    private static final long MIB = 1024 * 1024;
    /** Big enough that a push is still going when the server is killed. */
    private static final long BIG = 300 * MIB;
    /** How far into the big pushes the kill comes. */
    private static final long KILL_AFTER = 48 * MIB;

    private static BerthProcess berth;
    private static RegistryHttp registry;

    @BeforeAll
    static void start() {
        berth = BerthProcess.start("crash", "-Xmx256m");
        registry = new RegistryHttp(berth);
    }

    @AfterAll
    static void stop() throws IOException {
        if (berth != null) {
            berth.close();
        }
    }

    @BeforeEach
    void running() throws IOException {
        if (!berth.isAlive()) {
            berth.start();
        }
    }

    @Test
    void killedInTheMiddleOfPushesKeepsWhatWasAcknowledgedAndLetsThePushesBeRedone() throws Exception {
        String repository = "crash/mid-push";
        Map<String, Long> acknowledged = new LinkedHashMap<>();
        for (long seed = 1; seed <= 3; seed++) {
            long size = seed * 3 * MIB + seed;
            acknowledged.put(pushWhole(repository, seed, size), size);
        }
        long bigSeed = 42;
        String bigDigest = SeededBytes.digest(bigSeed, BIG);
        URI streamed = registry.startUpload(repository);
        URI monolithic = registry.startUpload(repository);
        CompletableFuture<HttpResponse<String>> patch = registry.patchAsync(streamed, new SeededBytes(bigSeed, BIG), 0, BIG);
        CompletableFuture<HttpResponse<String>> put = registry.putAsync(monolithic, bigDigest, () -> new SeededBytes(bigSeed, BIG), BIG);
        awaitStaged(List.of(streamed, monolithic), List.of(patch, put));

        berth.kill();

        assertCutOff(patch);
        assertCutOff(put);
        berth.start();
        assertServed(repository, acknowledged);
        assertThat(registry.headBlob(repository, bigDigest).statusCode()).as("a blob whose push was cut off is not served").isEqualTo(404);
        assertEveryBlobFileMatchesItsName();

        // Done again from scratch, in a new session: it succeeds.
        HttpResponse<String> redone = registry.pushWhole(repository, bigDigest, () -> new SeededBytes(bigSeed, BIG), BIG);
        RegistryHttp.expect(redone, 201);
        assertServed(repository, Map.of(bigDigest, BIG));

        // The interrupted streamed session resumes where its bytes on disk end: they are a correct prefix.
        URI resumed = registry.current(streamed);
        HttpResponse<String> status = registry.uploadStatus(resumed);
        RegistryHttp.expect(status, 204);
        long offset = Long.parseLong(status.headers().firstValue("Range").orElseThrow().split("-")[1]) + 1;
        assertThat(offset).as("bytes kept of the cut-off PATCH").isBetween(KILL_AFTER, BIG - 1);
        InputStream rest = new SeededBytes(bigSeed, BIG);
        rest.skipNBytes(offset);
        HttpResponse<String> patched = registry.patch(resumed, rest, offset, BIG - offset);
        RegistryHttp.expect(patched, 202);
        RegistryHttp.expect(registry.finish(RegistryHttp.location(patched), bigDigest), 201);
        assertServed(repository, Map.of(bigDigest, BIG));
        assertEveryBlobFileMatchesItsName();
        assertThat(berth.dataDir().resolve("uploads").resolve(RegistryHttp.uploadId(streamed))).as("finished upload's staged file").doesNotExist();
    }

    @Test
    void killedRightAfterPushesKeepsEverythingThatWasAcknowledged() throws Exception {
        String repository = "crash/after-push";
        long layerSize = 24 * MIB + 7;
        String layer = pushWhole(repository, 100, layerSize);
        String chunked = pushChunked(repository, 101, 20 * MIB + 3, 8 * MIB);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes(StandardCharsets.UTF_8);
        String configDigest = TestFiles.digest(config);
        RegistryHttp.expect(registry.pushWhole(repository, configDigest, () -> new java.io.ByteArrayInputStream(config), config.length), 201);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layer + "\",\"size\":" + layerSize + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        String manifestDigest = TestFiles.digest(manifest);
        HttpResponse<String> tagged = registry.putManifest(repository, "v1", "application/vnd.oci.image.manifest.v1+json", manifest);
        RegistryHttp.expect(tagged, 201);

        berth.kill();
        berth.start();

        assertServed(repository, Map.of(layer, layerSize, chunked, 20 * MIB + 3, configDigest, (long) config.length));
        HttpResponse<byte[]> served = registry.getManifest(repository, "v1", "application/vnd.oci.image.manifest.v1+json");
        assertThat(served.statusCode()).as("manifest tagged just before the kill").isEqualTo(200);
        assertThat(served.body()).isEqualTo(manifest);
        assertThat(served.headers().firstValue("Docker-Content-Digest")).hasValue(manifestDigest);
        assertEveryBlobFileMatchesItsName();
    }

    private static String pushWhole(String repository, long seed, long size) throws Exception {
        String digest = SeededBytes.digest(seed, size);
        HttpResponse<String> response = registry.pushWhole(repository, digest, () -> new SeededBytes(seed, size), size);
        RegistryHttp.expect(response, 201);
        return digest;
    }

    private static String pushChunked(String repository, long seed, long size, long chunk) throws Exception {
        URI location = registry.startUpload(repository);
        InputStream data = new SeededBytes(seed, size);
        for (long offset = 0; offset < size; offset += chunk) {
            long length = Math.min(chunk, size - offset);
            HttpResponse<String> response = registry.patch(location, SeededBytes.slice(data, length), offset, length);
            RegistryHttp.expect(response, 202);
            location = RegistryHttp.location(response);
        }
        String digest = SeededBytes.digest(seed, size);
        RegistryHttp.expect(registry.finish(location, digest), 201);
        return digest;
    }

    /** Waits until the server has staged {@link #KILL_AFTER} bytes of every upload, and none has finished. */
    private static void awaitStaged(List<URI> uploads, List<CompletableFuture<HttpResponse<String>>> requests) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            for (CompletableFuture<HttpResponse<String>> request : requests) {
                assertThat(request).as("a big push ended before the kill; it must still be running").isNotDone();
            }
            boolean all = true;
            for (URI upload : uploads) {
                Path staged = berth.dataDir().resolve("uploads").resolve(RegistryHttp.uploadId(upload));
                all &= Files.exists(staged) && Files.size(staged) >= KILL_AFTER;
            }
            if (all) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the uploads did not reach " + KILL_AFTER + " bytes\n" + berth.logTail());
    }

    private static void assertCutOff(CompletableFuture<HttpResponse<String>> request) throws Exception {
        HttpResponse<String> response = request.handle((r, e) -> r).get(60, TimeUnit.SECONDS);
        if (response != null) {
            assertThat(response.statusCode()).as("a push cut off by the kill cannot have succeeded: " + response.body()).isGreaterThanOrEqualTo(400);
        }
    }

    private static void assertServed(String repository, Map<String, Long> blobs) throws Exception {
        for (Map.Entry<String, Long> blob : blobs.entrySet()) {
            RegistryHttp.Pulled pulled = registry.pull(repository, blob.getKey());
            assertThat(pulled.status()).as(() -> "GET acknowledged blob " + blob.getKey() + ": " + pulled.error() + "\n" + berth.logTail()).isEqualTo(200);
            assertThat(pulled.digest()).as("digest of the bytes served for " + blob.getKey()).isEqualTo(blob.getKey());
            assertThat(pulled.size()).isEqualTo(blob.getValue());
        }
    }

    /** Hashes every file under data/blobs: each must hold exactly the bytes its path names. */
    private static void assertEveryBlobFileMatchesItsName() throws IOException {
        Path blobs = berth.dataDir().resolve("blobs");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(blobs)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("blob files under " + blobs).isNotEmpty();
        for (Path file : files) {
            Path relative = blobs.relativize(file);
            assertThat(relative.getNameCount()).as("blob path " + relative).isEqualTo(3);
            assertThat(relative.getName(0).toString()).isEqualTo("sha256");
            String hex = relative.getFileName().toString();
            assertThat(relative.getName(1).toString()).isEqualTo(hex.substring(0, 2));
            assertThat(TestFiles.digest(file)).as("content of blob file " + relative).isEqualTo("sha256:" + hex);
        }
    }
}
