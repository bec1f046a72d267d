package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.TestImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15, {@code max-bytes}: past the limit, an upstream's least recently pulled cached manifest
 * goes, GC frees the blobs only it held (not one that pushed content shares), and a later pull of
 * it fetches it again from the upstream. Images a (1 MiB layer), b (1 MiB layer and a 512 KiB layer
 * also pushed to Berth as team/own) and c (1 MiB layer), with max-bytes 3 MiB: a and b fit; a pulled
 * again, then c, and b is the one that goes; b pulled again, and then a is.
 */
@Timeout(300)
class ProxyEvictionIT {

    private static final int MIB = 1024 * 1024;

    private static Path work;
    private static Distribution upstream;
    /** Stopped by the index test, to tell what is cached from what would be fetched again. */
    private static Distribution second;
    private static BerthProcess berth;
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "proxy-eviction-");
        upstream = Distribution.start(work.resolve("upstream"));
        second = Distribution.start(work.resolve("second"));
        berth = BerthProcess.start("proxy-eviction",
                "-Dberth.proxy.upstreams[0].name=up",
                "-Dberth.proxy.upstreams[0].url=http://" + upstream.hostPort(),
                "-Dberth.proxy.upstreams[0].max-bytes=3MB",
                // The same registry under a second prefix, for the web UI's test: max-bytes counts per upstream.
                "-Dberth.proxy.upstreams[1].name=ui",
                "-Dberth.proxy.upstreams[1].url=http://" + upstream.hostPort(),
                "-Dberth.proxy.upstreams[2].name=idx",
                "-Dberth.proxy.upstreams[2].url=http://" + second.hostPort(),
                "-Dberth.proxy.upstreams[2].max-bytes=1MB",
                "-Dberth.proxy.eviction-interval=500ms",
                // Short, but longer than a push takes from its first blob to its manifest: GC frees an unreferenced blob.
                "-Dberth.gc.review-delay=10s",
                "-Dberth.gc.interval=500ms");
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (second != null) {
            second.close();
        }
        TestFiles.deleteRecursively(work);
    }

    @Test
    void theLeastRecentlyPulledImageGoesPastMaxBytesAndPullsAgainFromTheUpstream() throws Exception {
        byte[] onlyA = random(MIB, 11);
        byte[] onlyB = random(MIB, 12);
        byte[] shared = random(MIB / 2, 13);
        byte[] onlyC = random(MIB, 14);
        RegistryPusher up = new RegistryPusher(URI.create("http://" + upstream.hostPort() + "/"));
        TestImage a = image(onlyA);
        TestImage b = image(onlyB).layer(shared, MediaType.OCI_LAYER_TAR, Digest.sha256(shared));
        TestImage c = image(onlyC);
        a.push(up, "team/a", "v1");
        b.push(up, "team/b", "v1");
        c.push(up, "team/c", "v1");
        TestImage own = image(shared);
        own.push(new RegistryPusher(URI.create("http://" + berth.hostPort() + "/")), "team/own", "v1");

        pull("up/team/a", a);
        pull("up/team/b", b);
        assertThat(get("/v2/up/team/a/manifests/v1").statusCode()).as("a is now the more recently pulled").isEqualTo(200);
        pull("up/team/c", c);

        await("b is evicted", () -> !cachedTags("up/team/b").contains("\"v1\""));
        assertThat(cachedTags("up/team/a")).contains("\"v1\"");
        assertThat(cachedTags("up/team/c")).contains("\"v1\"");
        await("GC frees the layer only b held", () -> !stored(Digest.sha256(onlyB)));
        assertThat(stored(Digest.sha256(shared))).as("the layer team/own shares stays").isTrue();
        HttpResponse<byte[]> ownLayer = get("/v2/team/own/blobs/" + Digest.sha256(shared));
        assertThat(ownLayer.statusCode()).isEqualTo(200);
        assertThat(ownLayer.body()).isEqualTo(shared);
        assertThat(metrics()).containsPattern("berth_proxy_evictions_total\\{upstream=\"up\"\\} [1-9]");

        pull("up/team/b", b);

        await("then a, the least recently pulled, is evicted", () -> !cachedTags("up/team/a").contains("\"v1\""));
        assertThat(cachedTags("up/team/b")).contains("\"v1\"");
        assertThat(cachedTags("up/team/c")).contains("\"v1\"");
        pull("up/team/a", a);
    }

    @Test
    void anIndexGoesBeforeTheManifestsItListsAndTheyThenTakeTheirPlaceByLastPull() throws Exception {
        RegistryPusher pusher = new RegistryPusher(URI.create("http://" + second.hostPort() + "/"));
        byte[] amd64Layer = random(300 * 1024, 31);
        byte[] arm64Layer = random(300 * 1024, 32);
        TestImage amd64 = image(amd64Layer).platform(Platform.parse("linux/amd64"));
        TestImage arm64 = image(arm64Layer).platform(Platform.parse("linux/arm64"));
        Descriptor amd64Manifest = amd64.push(pusher, "team/multi", "amd64");
        Descriptor arm64Manifest = arm64.push(pusher, "team/multi", "arm64");
        Digest index = TestImage.pushIndex(pusher, "team/multi", "v1", List.of(amd64Manifest, arm64Manifest));
        byte[] bigLayer = random(500 * 1024, 33);
        TestImage big = image(bigLayer);
        big.push(pusher, "team/big", "v1");

        assertThat(get("/v2/idx/team/multi/manifests/v1").statusCode()).isEqualTo(200);
        pullByDigest("idx/team/multi", amd64Manifest.digest(), amd64);
        pullByDigest("idx/team/multi", arm64Manifest.digest(), arm64);
        assertThat(get("/v2/idx/team/multi/manifests/v1").statusCode()).as("the index is now pulled after its children").isEqualTo(200);
        pull("idx/team/big", big);

        // 600 KiB of children and 500 KiB of big exceed 1 MiB: the index goes (its children may not
        // go before it), then amd64, the least recently pulled left; then it fits.
        await("two evictions", () -> metrics().contains("berth_proxy_evictions_total{upstream=\"idx\"} 2.0"));
        assertThat(cachedTags("idx/team/multi")).doesNotContain("\"v1\"");
        second.close();
        assertThat(get("/v2/idx/team/multi/manifests/" + arm64Manifest.digest()).statusCode()).as("arm64 is still cached").isEqualTo(200);
        assertThat(get("/v2/idx/team/multi/blobs/" + Digest.sha256(arm64Layer)).body()).isEqualTo(arm64Layer);
        assertThat(get("/v2/idx/team/big/manifests/v1").statusCode()).as("big is still cached").isEqualTo(200);
        assertThat(get("/v2/idx/team/big/blobs/" + Digest.sha256(bigLayer)).body()).isEqualTo(bigLayer);
        assertThat(get("/v2/idx/team/multi/manifests/" + amd64Manifest.digest()).statusCode()).as("amd64 was evicted").isNotEqualTo(200);
        assertThat(get("/v2/idx/team/multi/manifests/" + index).statusCode()).as("the index was evicted").isNotEqualTo(200);
        assertThat(metrics()).contains("berth_proxy_evictions_total{upstream=\"idx\"} 2.0");
    }

    @Test
    void theRepositoryPageMarksAProxiedRepositoryWithItsUpstreamAndHowItsCacheServed() throws Exception {
        byte[] layer = random(4096, 21);
        TestImage page = image(layer);
        page.push(new RegistryPusher(URI.create("http://" + upstream.hostPort() + "/")), "team/page", "v1");
        pull("ui/team/page", page);
        assertThat(get("/v2/ui/team/page/manifests/v1").statusCode()).isEqualTo(200);

        HttpResponse<byte[]> html = get("/r/ui/team/page");
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(new String(html.body()))
                .contains("pull-through cache")
                .contains("<code>http://" + upstream.hostPort() + "</code>")
                .contains("<strong>ui</strong>")
                .contains(">1</span> served from the cache")
                .as("the manifest, its layer and its config").contains(">3</span> fetched")
                .contains(">0</span> served stale");
        TestImage pushed = image(random(4096, 22));
        pushed.push(new RegistryPusher(URI.create("http://" + berth.hostPort() + "/")), "team/plain", "v1");
        assertThat(new String(get("/r/team/plain").body())).doesNotContain("pull-through cache");
    }

    private static TestImage image(byte[] layer) {
        return TestImage.create().layer(layer, MediaType.OCI_LAYER_TAR, Digest.sha256(layer));
    }

    private static void pullByDigest(String repository, Digest manifest, TestImage image) throws Exception {
        assertThat(get("/v2/" + repository + "/manifests/" + manifest).statusCode()).isEqualTo(200);
        for (byte[] layer : image.layerBlobs()) {
            assertThat(get("/v2/" + repository + "/blobs/" + Digest.sha256(layer)).body()).isEqualTo(layer);
        }
        assertThat(get("/v2/" + repository + "/blobs/" + Digest.sha256(image.config())).body()).isEqualTo(image.config());
    }

    /** The manifest by tag and every blob, each compared with what was pushed upstream. */
    private static void pull(String repository, TestImage image) throws Exception {
        HttpResponse<byte[]> manifest = get("/v2/" + repository + "/manifests/v1");
        assertThat(manifest.statusCode()).as(new String(manifest.body())).isEqualTo(200);
        for (byte[] layer : image.layerBlobs()) {
            HttpResponse<byte[]> blob = get("/v2/" + repository + "/blobs/" + Digest.sha256(layer));
            assertThat(blob.statusCode()).isEqualTo(200);
            assertThat(blob.body()).isEqualTo(layer);
        }
        assertThat(get("/v2/" + repository + "/blobs/" + Digest.sha256(image.config())).body()).isEqualTo(image.config());
    }

    /** The tags Berth holds for the repository (a tag list never asks the upstream). */
    private static String cachedTags(String repository) {
        try {
            return new String(get("/v2/" + repository + "/tags/list").body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the blob's file is in Berth's store. */
    private static boolean stored(Digest digest) {
        try (Stream<Path> files = Files.walk(berth.dataDir().resolve("blobs"))) {
            return files.anyMatch(p -> p.getFileName().toString().equals(digest.hex()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 60 s").isLessThan(deadline);
            Thread.sleep(200);
        }
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

    private static String metrics() {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(berth.uri("/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            return answer.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
