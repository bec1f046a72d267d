package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.RegistryPusher;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Online GC over real HTTP on H2 and PostgreSQL, with no review delay and untagged manifests
 * removed at once; the tests run the worker themselves (its schedule is an hour).
 */
@TestPropertySource(properties = {"berth.gc.review-delay=0s", "berth.gc.interval=1h", "berth.gc.untagged-manifests-after=0s"})
class GarbageCollectionIT extends RegistryIntegrationTest {

    @Autowired
    GarbageCollector gc;

    @Autowired
    JdbcTemplate jdbc;

    private RegistryPusher pusher() {
        return new RegistryPusher(uri("/"));
    }

    @AfterEach
    void noHook() {
        gc.beforeFileDelete(() -> { });
    }

    @Test
    void deletingATagReturnsTheDiskSpaceOfWhatOnlyItKept() throws Exception {
        String repo = uniqueName("gc-space");
        Descriptor shared = blob(repo, randomBytes(4096));
        Descriptor kept = image(repo, "kept", shared, blob(repo, randomBytes(1000)));
        Descriptor ownLayer = blob(repo, randomBytes(50_000));
        Descriptor ownConfig = blob(repo, config());
        pusher().manifest(repo, "gone", MediaType.OCI_MANIFEST, manifest(ownConfig, shared, ownLayer));
        assertThat(Files.exists(file(ownLayer.digest()))).isTrue();

        assertThat(send("DELETE", "/v2/" + repo + "/manifests/gone").statusCode()).isEqualTo(202);
        gc.runOnce();

        assertThat(Files.exists(file(ownLayer.digest()))).as("layer file").isFalse();
        assertThat(Files.exists(file(ownConfig.digest()))).as("config file").isFalse();
        assertThat(rows("blobs", ownLayer.digest())).isZero();
        assertThat(send("GET", "/v2/" + repo + "/blobs/" + ownLayer.digest()).statusCode()).isEqualTo(404);
        assertThat(Files.exists(file(shared.digest()))).as("the layer the kept tag shares").isTrue();
        assertThat(send("GET", "/v2/" + repo + "/manifests/kept").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v2/" + repo + "/blobs/" + shared.digest()).statusCode()).isEqualTo(200);
        assertThat(kept).isNotNull();
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("berth_gc_runs_total", "berth_gc_blobs_deleted_total", "berth_gc_bytes_deleted_total",
                "berth_gc_manifests_deleted_total", "berth_gc_queue_depth", "berth_gc_review_lag_seconds");
    }

    /**
     * The classic race: GC has deleted the rows of a blob and is about to delete its file when a
     * client pushes the same digest again. The push must end with its file present.
     */
    @Test
    void aBlobPushedAgainWhileGcDeletesItsFileEndsWithItsFile() throws Exception {
        gc.runOnce(); // nothing due left by other tests
        String first = uniqueName("gc-race");
        String second = uniqueName("gc-race");
        byte[] content = randomBytes(100_000);
        Descriptor blob = blob(first, content);
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        gc.beforeFileDelete(() -> {
            reached.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<GarbageCollector.Run> run = threads.submit(() -> gc.runOnce(1));
            assertThat(reached.await(60, TimeUnit.SECONDS)).as("GC reached the file of the unreferenced blob").isTrue();
            Future<Descriptor> again = threads.submit(() -> blob(second, content));
            try {
                again.get(3, TimeUnit.SECONDS); // without the lock the push ends here, before GC deletes the file
            } catch (TimeoutException waiting) {
                // it waits for GC's row lock
            }
            release.countDown();
            assertThat(run.get(60, TimeUnit.SECONDS).blobsDeleted()).isEqualTo(1);
            assertThat(again.get(60, TimeUnit.SECONDS).digest()).isEqualTo(blob.digest());
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
        assertThat(Files.exists(file(blob.digest()))).as("the file of the blob pushed again").isTrue();
        assertThat(rows("blobs", blob.digest())).isOne();
        HttpResponse<byte[]> pulled = http.send(HttpRequest.newBuilder(uri("/v2/" + second + "/blobs/" + blob.digest())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pulled.statusCode()).isEqualTo(200);
        assertThat(Digest.sha256(pulled.body())).isEqualTo(blob.digest());
    }

    /** Two workers on one database at once: each due review is taken by one of them, and only garbage goes. */
    @Test
    void twoWorkersShareTheQueue() throws Exception {
        gc.runOnce();
        String repo = uniqueName("gc-two");
        List<Descriptor> garbage = new ArrayList<>();
        List<Descriptor> kept = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            garbage.add(blob(repo, randomBytes(2000)));
            Descriptor layer = blob(repo, randomBytes(2000));
            image(repo, "t" + i, layer);
            kept.add(layer);
        }
        long due = jdbc.queryForObject("SELECT count(*) FROM gc_reviews", Long.class);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<GarbageCollector.Run>> runs = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                runs.add(threads.submit(() -> {
                    start.await();
                    return gc.runOnce();
                }));
            }
            start.countDown();
            int reviews = 0;
            int deleted = 0;
            for (Future<GarbageCollector.Run> r : runs) {
                reviews += r.get(120, TimeUnit.SECONDS).reviews();
                deleted += r.get().blobsDeleted();
            }
            assertThat(reviews).isEqualTo(due);
            assertThat(deleted).isEqualTo(garbage.size());
        } finally {
            threads.shutdownNow();
        }
        for (Descriptor d : garbage) {
            assertThat(Files.exists(file(d.digest()))).isFalse();
            assertThat(rows("blobs", d.digest())).isZero();
        }
        for (Descriptor d : kept) {
            assertThat(Files.exists(file(d.digest()))).isTrue();
            assertThat(send("GET", "/v2/" + repo + "/blobs/" + d.digest()).statusCode()).isEqualTo(200);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM gc_reviews", Long.class)).isZero();
    }

    private Descriptor blob(String repo, byte[] content) {
        return pusher().blob(repo, MediaType.OCI_LAYER_GZIP, content);
    }

    private Descriptor image(String repo, String tag, Descriptor... layers) {
        Descriptor config = blob(repo, config());
        byte[] body = manifest(config, layers);
        Digest digest = pusher().manifest(repo, tag, MediaType.OCI_MANIFEST, body);
        return new Descriptor(MediaType.OCI_MANIFEST, digest, body.length, null, null, null);
    }

    private static byte[] config() {
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":" + ThreadLocalRandom.current().nextLong() + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] manifest(Descriptor config, Descriptor... layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST.value()
                + "\",\"config\":" + descriptor(MediaType.OCI_CONFIG, config) + ",\"layers\":[");
        for (int i = 0; i < layers.length; i++) {
            json.append(i == 0 ? "" : ",").append(descriptor(MediaType.OCI_LAYER_GZIP, layers[i]));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String descriptor(MediaType type, Descriptor d) {
        return "{\"mediaType\":\"" + type.value() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    private HttpResponse<Void> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private int rows(String table, Digest digest) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE digest = ?", Integer.class, digest.toString());
    }

    private static Path file(Digest digest) {
        return DATA_DIR.resolve("blobs").resolve(digest.algorithm().name().toLowerCase()).resolve(digest.hex().substring(0, 2))
                .resolve(digest.hex());
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
