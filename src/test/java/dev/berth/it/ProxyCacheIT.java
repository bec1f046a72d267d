package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.TestImage;
import dev.berth.testing.TestLayer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15: Berth as a pull-through cache in front of a real CNCF distribution. Manifests and blobs
 * pulled under the upstream's prefix are the upstream's bytes; twenty concurrent pulls of an uncached
 * blob download it once; nothing can be pushed under the prefix; a blob whose bytes upstream do not
 * match its digest is never completed to the client nor kept; with the upstream gone, what was
 * cached still pulls and what was not gets an OCI error.
 */
@Timeout(300)
class ProxyCacheIT {

    private static final int BIG = 8 * 1024 * 1024;

    private static Path work;
    private static Distribution upstream;
    private static Distribution doomed;
    private static BerthProcess berth;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "proxy-");
        upstream = Distribution.start(work.resolve("upstream"));
        doomed = Distribution.start(work.resolve("doomed"));
        berth = BerthProcess.start("proxy",
                "-Dberth.proxy.upstreams[0].name=up",
                "-Dberth.proxy.upstreams[0].url=http://" + upstream.hostPort(),
                "-Dberth.proxy.upstreams[0].manifest-check-interval=0s",
                "-Dberth.proxy.upstreams[1].name=doomed",
                "-Dberth.proxy.upstreams[1].url=http://" + doomed.hostPort(),
                "-Dberth.proxy.upstreams[1].manifest-check-interval=0s",
                "-Dberth.proxy.upstreams[1].timeout=5s");
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (doomed != null) {
            doomed.close();
        }
    }

    private static RegistryPusher upstreamPusher() {
        return new RegistryPusher(URI.create("http://" + upstream.hostPort() + "/"));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(berth.uri(path)).timeout(Duration.ofSeconds(60))
                .header("Accept", MediaType.OCI_MANIFEST + ", " + MediaType.OCI_INDEX).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> getUpstream(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + upstream.hostPort() + path)).timeout(Duration.ofSeconds(60))
                .header("Accept", MediaType.OCI_MANIFEST + ", " + MediaType.OCI_INDEX).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aPullThroughTheCacheGetsTheUpstreamsManifestAndBlobsByteForByte() throws Exception {
        TestImage image = TestImage.create().layer(TestLayer.create().file("a.txt", "through the cache", 0644), MediaType.OCI_LAYER_GZIP)
                .layer(random(300_000, 1), MediaType.OCI_LAYER_TAR, Digest.sha256(random(300_000, 1)));
        Descriptor pushed = image.push(upstreamPusher(), "team/app", "v1");

        HttpResponse<byte[]> manifest = get("/v2/up/team/app/manifests/v1");

        assertThat(manifest.statusCode()).as(new String(manifest.body())).isEqualTo(200);
        assertThat(manifest.body()).isEqualTo(getUpstream("/v2/team/app/manifests/v1").body());
        assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(pushed.digest().toString());
        for (byte[] layer : image.layerBlobs()) {
            Digest digest = Digest.sha256(layer);
            HttpResponse<byte[]> blob = get("/v2/up/team/app/blobs/" + digest);
            assertThat(blob.statusCode()).isEqualTo(200);
            assertThat(blob.body()).isEqualTo(layer);
            HttpResponse<byte[]> again = get("/v2/up/team/app/blobs/" + digest);
            assertThat(again.body()).as("the second pull is served from the store").isEqualTo(layer);
        }
        Digest config = Digest.sha256(image.config());
        assertThat(get("/v2/up/team/app/blobs/" + config).body()).isEqualTo(image.config());
        assertThat(get("/v2/up/team/app/manifests/" + pushed.digest()).body()).isEqualTo(manifest.body());
        assertThat(get("/v2/up/team/nothing/manifests/v1").statusCode()).isEqualTo(404);
    }

    @Test
    void twentyConcurrentPullsOfAnUncachedBlobDownloadItOnce() throws Exception {
        byte[] big = random(BIG, 2);
        TestImage image = TestImage.create().layer(big, MediaType.OCI_LAYER_TAR, Digest.sha256(big));
        image.push(upstreamPusher(), "team/big", "v1");
        assertThat(get("/v2/up/team/big/manifests/v1").statusCode()).isEqualTo(200);
        double before = upstreamBytes();
        Digest digest = Digest.sha256(big);

        List<CompletableFuture<HttpResponse<byte[]>>> pulls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pulls.add(http.sendAsync(HttpRequest.newBuilder(berth.uri("/v2/up/team/big/blobs/" + digest))
                    .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> pull : pulls) {
            HttpResponse<byte[]> answer = pull.join();
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(Digest.sha256(answer.body())).isEqualTo(digest);
        }

        assertThat(upstreamBytes() - before).as("one download of the blob from upstream").isEqualTo(BIG);
    }

    @Test
    void twentyConcurrentPullsOfAnUncachedManifestFetchItOnce() throws Exception {
        Descriptor pushed = TestImage.create().layer(TestLayer.create().file("m.txt", "one fetch", 0644), MediaType.OCI_LAYER_GZIP)
                .push(upstreamPusher(), "team/many", "v1");
        double before = upstreamBytes();

        List<CompletableFuture<HttpResponse<byte[]>>> pulls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pulls.add(http.sendAsync(HttpRequest.newBuilder(berth.uri("/v2/up/team/many/manifests/v1"))
                    .header("Accept", MediaType.OCI_MANIFEST.value()).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (CompletableFuture<HttpResponse<byte[]>> pull : pulls) {
            assertThat(Digest.sha256(pull.join().body())).isEqualTo(pushed.digest());
        }

        assertThat(upstreamBytes() - before).as("the manifest's bytes came from upstream once").isEqualTo(pushed.size());
    }

    @Test
    void nothingCanBePushedUnderAnUpstreamsPrefix() throws Exception {
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(berth.uri("/v2/up/team/mine/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(berth.uri("/v2/up/team/mine/manifests/v1"))
                .header("Content-Type", MediaType.OCI_MANIFEST.value())
                .PUT(HttpRequest.BodyPublishers.ofString("{\"schemaVersion\":2}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("\"DENIED\"").contains("pull-through cache");
        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(put.body()).contains("\"DENIED\"");
    }

    @Test
    void aBlobWhoseUpstreamBytesDoNotMatchItsDigestIsNeverCompletedNorKept() throws Exception {
        byte[] layer = random(2 * 1024 * 1024, 3);
        Digest digest = Digest.sha256(layer);
        TestImage.create().layer(layer, MediaType.OCI_LAYER_TAR, digest).push(upstreamPusher(), "team/bad", "v1");
        assertThat(get("/v2/up/team/bad/manifests/v1").statusCode()).isEqualTo(200);
        Path data = upstream.storage().resolve("docker/registry/v2/blobs/sha256").resolve(digest.hex().substring(0, 2))
                .resolve(digest.hex()).resolve("data");
        byte[] corrupt = layer.clone();
        corrupt[corrupt.length / 2] ^= 1;
        Files.write(data, corrupt);

        String outcome;
        try {
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(berth.uri("/v2/up/team/bad/blobs/" + digest))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            outcome = "HTTP " + answer.statusCode() + " with " + answer.body().length + " bytes";
        } catch (java.net.http.HttpTimeoutException hung) {
            outcome = "no end to the answer";
        } catch (IOException broken) {
            outcome = "broken";
        }

        assertThat(outcome).as("the client never gets a whole body of wrong bytes: its connection is broken").isEqualTo("broken");
        try (Stream<Path> files = Files.walk(berth.dataDir())) {
            assertThat(files.filter(p -> p.getFileName().toString().equals(digest.hex()))).as("nothing of it is stored").isEmpty();
        }
    }

    @Test
    void withTheUpstreamGoneWhatWasCachedStillPullsAndWhatWasNotIsAnOciError() throws Exception {
        TestImage image = TestImage.create().layer(TestLayer.create().file("b.txt", "cached before the end", 0644), MediaType.OCI_LAYER_GZIP);
        Descriptor pushed = image.push(new RegistryPusher(URI.create("http://" + doomed.hostPort() + "/")), "team/kept", "v1");
        byte[] manifest = get("/v2/doomed/team/kept/manifests/v1").body();
        Digest layer = Digest.sha256(image.layerBlobs().get(0));
        assertThat(get("/v2/doomed/team/kept/blobs/" + layer).statusCode()).isEqualTo(200);

        doomed.close();

        HttpResponse<byte[]> byTag = get("/v2/doomed/team/kept/manifests/v1");
        assertThat(byTag.statusCode()).as("a cached tag is served stale").isEqualTo(200);
        assertThat(byTag.body()).isEqualTo(manifest);
        assertThat(get("/v2/doomed/team/kept/manifests/" + pushed.digest()).statusCode()).isEqualTo(200);
        assertThat(get("/v2/doomed/team/kept/blobs/" + layer).body()).isEqualTo(image.layerBlobs().get(0));
        HttpResponse<byte[]> uncached = get("/v2/doomed/team/other/manifests/v1");
        assertThat(uncached.statusCode()).isEqualTo(503);
        assertThat(new String(uncached.body())).contains("\"UNAVAILABLE\"").contains("upstream doomed");
        assertThat(metrics()).containsPattern("berth_proxy_requests_total\\{[^}]*result=\"stale\"[^}]*upstream=\"doomed\"");
    }

    private static double upstreamBytes() throws Exception {
        String metrics = metrics();
        Matcher m = Pattern.compile("(?m)^berth_proxy_upstream_bytes_total\\{[^}]*upstream=\"up\"[^}]*} (\\S+)$").matcher(metrics);
        // Absent until the first upstream byte.
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String metrics() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(berth.uri("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }
}
