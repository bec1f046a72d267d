package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.registry.metadata.QuotaRows;
import dev.berth.registry.repository.Quotas;
import dev.berth.testing.RegistryIntegrationTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
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

    private final Torture torture = new Torture(http, this::uri);
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
            layers.add(Torture.random(1000 + i * 2500));
        }
        List<Callable<?>> clients = new ArrayList<>();
        // The other namespace gets the shared layers too, to be mounted from.
        clients.addAll(Torture.clients(1, RUN_MILLIS, () -> pushImage(other + "/a", "t", layers)));
        clients.addAll(Torture.clients(CLIENTS, RUN_MILLIS, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String repo = repos.get(random.nextInt(repos.size()));
            int action = random.nextInt(10);
            Digest layer = Digest.sha256(layers.get(random.nextInt(layers.size())));
            if (action < 5) {
                pushImage(repo, "t" + random.nextInt(3), layers);
            } else if (action < 6) {
                assertThat(torture.send("DELETE", "/v2/" + repo + "/manifests/t" + random.nextInt(3), null).statusCode()).isIn(202, 404);
                deletes.incrementAndGet();
            } else if (action < 7) {
                HttpResponse<byte[]> tag = torture.send("HEAD", "/v2/" + repo + "/manifests/t" + random.nextInt(3), null);
                tag.headers().firstValue("Docker-Content-Digest").ifPresent(d ->
                        assertThat(torture.send("DELETE", "/v2/" + repo + "/manifests/" + d, null).statusCode()).isIn(202, 404));
                deletes.incrementAndGet();
            } else if (action < 8) {
                assertThat(torture.send("DELETE", "/v2/" + repo + "/blobs/" + layer, null).statusCode()).isIn(202, 404);
                unlinks.incrementAndGet();
            } else {
                String from = mountSources.get(random.nextInt(mountSources.size()));
                HttpResponse<byte[]> r = torture.send("POST", "/v2/" + repo + "/blobs/uploads/?mount=" + layer + "&from=" + from, null);
                assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isIn(201, 202, 403);
                if (r.statusCode() == 202) {
                    torture.send("DELETE", r.headers().firstValue("Location").orElseThrow(), null);
                } else if (r.statusCode() == 201) {
                    mounts.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                }
            }
        }));
        Torture.runBesideGc(gc, RUN_MILLIS, clients);
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
            config = Torture.config(image);
        } else {
            layers.add(shared.get(random.nextInt(shared.size())));
            if (random.nextBoolean()) {
                layers.add(Torture.random(500 + random.nextInt(3000)));
            }
            config = Torture.config(random.nextLong());
        }
        byte[] manifest = Torture.imageManifest(config, layers);
        List<byte[]> blobs = new ArrayList<>(layers);
        blobs.add(config);
        for (byte[] blob : blobs) {
            HttpResponse<byte[]> r = torture.pushBlob(repo, blob);
            assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isIn(201, 403);
            if (r.statusCode() == 403) {
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("quota exceeded: ");
                refused.incrementAndGet();
                return;
            }
        }
        HttpResponse<byte[]> r = torture.putManifest(repo, tag, manifest);
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
}
