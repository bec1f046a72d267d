package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.registry.metadata.QuotaRows;
import dev.berth.registry.repository.Quotas;
import dev.berth.testing.RegistryIntegrationTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Clients push images sharing layers into three repositories of one namespace, delete tags and
 * manifests, unlink blobs and mount across repositories and namespaces, while two GC workers run
 * without pause (review delay 0 s) and the namespace's quota refuses some pushes. Afterwards each
 * namespace's kept usage equals the slow recount over blob_links, blobs and manifests exactly,
 * and the limited namespace never went past its limit.
 */
@TestPropertySource(properties = {"berth.gc.review-delay=0s", "berth.gc.interval=1h", "berth.gc.untagged-manifests-after=0s"})
class QuotaTortureIT extends RegistryIntegrationTest {

    private static final long RUN_MILLIS = 15_000;
    private static final int CLIENTS = 4;
    private static final long LIMIT = 40_000;

    @Autowired
    GarbageCollector gc;

    @Autowired
    Quotas quotas;

    @Autowired
    QuotaRows rows;

    @Autowired
    JdbcTemplate jdbc;

    private final AtomicInteger images = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger unlinks = new AtomicInteger();
    private final AtomicInteger mounts = new AtomicInteger();
    private final AtomicInteger deletes = new AtomicInteger();

    @Test
    void theKeptUsageEqualsTheSlowRecountAfterConcurrentPushesDeletesMountsAndGc() throws Exception {
        String ns = "qtorture" + Long.toString(System.nanoTime(), 36);
        String other = ns + "x";
        quotas.set(ns, LIMIT, "test");
        List<String> repos = List.of(ns + "/a", ns + "/b", ns + "/c");
        List<String> mountSources = List.of(ns + "/a", ns + "/b", ns + "/c", other + "/a");
        List<byte[]> layers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            layers.add(random(1000 + i * 2500));
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 3);
        List<Future<?>> work = new ArrayList<>();
        try {
            for (int w = 0; w < 2; w++) {
                work.add(threads.submit(() -> {
                    while (!stop.get()) {
                        gc.runOnce();
                    }
                    return null;
                }));
            }
            long end = System.currentTimeMillis() + RUN_MILLIS;
            // The other namespace gets the shared layers too, to be mounted from.
            work.add(threads.submit(() -> {
                while (System.currentTimeMillis() < end) {
                    pushImage(other + "/a", "t", layers);
                }
                return null;
            }));
            for (int c = 0; c < CLIENTS; c++) {
                work.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.currentTimeMillis() < end) {
                        String repo = repos.get(random.nextInt(repos.size()));
                        int action = random.nextInt(10);
                        Digest layer = Digest.sha256(layers.get(random.nextInt(layers.size())));
                        if (action < 5) {
                            pushImage(repo, "t" + random.nextInt(3), layers);
                        } else if (action < 6) {
                            assertThat(send("DELETE", "/v2/" + repo + "/manifests/t" + random.nextInt(3), null).statusCode()).isIn(202, 404);
                            deletes.incrementAndGet();
                        } else if (action < 7) {
                            HttpResponse<byte[]> tag = send("HEAD", "/v2/" + repo + "/manifests/t" + random.nextInt(3), null);
                            tag.headers().firstValue("Docker-Content-Digest").ifPresent(d ->
                                    assertThat(send("DELETE", "/v2/" + repo + "/manifests/" + d, null).statusCode()).isIn(202, 404));
                            deletes.incrementAndGet();
                        } else if (action < 8) {
                            assertThat(send("DELETE", "/v2/" + repo + "/blobs/" + layer, null).statusCode()).isIn(202, 404);
                            unlinks.incrementAndGet();
                        } else {
                            String from = mountSources.get(random.nextInt(mountSources.size()));
                            HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/?mount=" + layer + "&from=" + from, null);
                            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isIn(201, 202, 403);
                            if (r.statusCode() == 202) {
                                send("DELETE", r.headers().firstValue("Location").orElseThrow(), null);
                            } else if (r.statusCode() == 201) {
                                mounts.incrementAndGet();
                            } else {
                                refused.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work.subList(2, work.size())) {
                f.get(RUN_MILLIS + 120_000, TimeUnit.MILLISECONDS);
            }
            stop.set(true);
            for (Future<?> f : work.subList(0, 2)) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            threads.shutdownNow();
        }
        System.out.printf("Quota torture: %d images, %d refused by the quota, %d deletes, %d unlinks, %d mounts; %s uses %d of %d%n",
                images.get(), refused.get(), deletes.get(), unlinks.get(), mounts.get(), ns, rows.used(ns), LIMIT);
        assertThat(images.get()).isPositive();
        assertThat(rows.used(ns)).as("kept usage of " + ns).isEqualTo(slowCount(ns)).isLessThanOrEqualTo(LIMIT);
        assertThat(rows.used(other)).as("kept usage of " + other).isEqualTo(slowCount(other));

        while (gc.runOnce().reviews() > 0) {
            // drain what the last changes queued: GC's deletes are accounted too
        }
        assertThat(rows.used(ns)).isEqualTo(slowCount(ns));
        assertThat(rows.used(other)).isEqualTo(slowCount(other));
    }

    /** The namespace's use the slow way: the distinct digests its repositories link or hold as manifests. */
    private long slowCount(String ns) {
        return jdbc.queryForObject("""
                select coalesce(sum(size_bytes), 0) from (
                  select distinct d.digest, d.size_bytes from (
                    select l.digest, b.size_bytes from blob_links l join blobs b on b.digest = l.digest
                      join repositories r on r.id = l.repository_id where r.name = ? or r.name like ?
                    union all
                    select m.digest, m.size_bytes from manifests m join repositories r on r.id = m.repository_id
                      where r.name = ? or r.name like ?) d) x""", Long.class, ns, ns + "/%", ns, ns + "/%");
    }

    private void pushImage(String repo, String tag, List<byte[]> shared) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<byte[]> layers = new ArrayList<>();
        byte[] config;
        if (random.nextBoolean()) {
            // One of three fixed images: the same manifest pushed into several repositories at once counts once.
            int image = random.nextInt(3);
            layers.add(shared.get(image));
            config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + image + "}").getBytes(StandardCharsets.UTF_8);
        } else {
            layers.add(shared.get(random.nextInt(shared.size())));
            if (random.nextBoolean()) {
                layers.add(random(500 + random.nextInt(3000)));
            }
            config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + random.nextLong() + "}").getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            json.append(i == 0 ? "" : ",").append(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layers.get(i)));
        }
        byte[] manifest = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        List<byte[]> blobs = new ArrayList<>(layers);
        blobs.add(config);
        for (byte[] blob : blobs) {
            HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Digest.sha256(blob), blob,
                    "Content-Type", "application/octet-stream");
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isIn(201, 403);
            if (r.statusCode() == 403) {
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("quota exceeded: ");
                refused.incrementAndGet();
                return;
            }
        }
        HttpResponse<byte[]> r = send("PUT", "/v2/" + repo + "/manifests/" + tag, manifest,
                "Content-Type", "application/vnd.oci.image.manifest.v1+json");
        String body = new String(r.body(), StandardCharsets.UTF_8);
        if (r.statusCode() == 201) {
            images.incrementAndGet();
        } else if (r.statusCode() == 403) {
            assertThat(body).contains("quota exceeded: ");
            refused.incrementAndGet();
        } else {
            // With no review delay GC may take a blob between its push and the manifest's.
            assertThat(body).as("status %s", r.statusCode()).contains("MANIFEST_BLOB_UNKNOWN");
        }
    }

    private static String descriptor(String type, byte[] content) {
        return "{\"mediaType\":\"" + type + "\",\"digest\":\"" + Digest.sha256(content) + "\",\"size\":" + content.length + "}";
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(path.startsWith("http") ? URI.create(path) : uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
