package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.testing.RegistryIntegrationTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Clients push images that share layers, move and delete tags and mount across repositories
 * while two GC workers run without pause, for a bounded time. Then every tag pulls completely
 * with its digests verified, and every blob nothing references is gone. The review delay is 1 s,
 * not 0: with none, GC removes each uploaded blob before its manifest can reference it (1,294 of
 * 1,295 manifest pushes were refused in a 20 s run), and the test would push almost nothing.
 */
@TestPropertySource(properties = {"berth.gc.review-delay=1s", "berth.gc.interval=1h", "berth.gc.untagged-manifests-after=0s"})
class GcTortureIT extends RegistryIntegrationTest {

    private static final long RUN_MILLIS = 20_000;
    private static final int CLIENTS = 4;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    GarbageCollector gc;

    @Autowired
    JdbcTemplate jdbc;

    private final Torture torture = new Torture(http, this::uri);
    private final Set<Digest> pushed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger images = new AtomicInteger();
    private final AtomicInteger refusedAfterGc = new AtomicInteger();
    private final AtomicInteger deletes = new AtomicInteger();
    private final AtomicInteger mounts = new AtomicInteger();

    @Test
    void everyTagPullsAndNothingUnreferencedIsLeft() throws Exception {
        String base = uniqueName("gc-torture");
        List<String> repos = List.of(base + "/a", base + "/b", base + "/c");
        List<byte[]> sharedLayers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sharedLayers.add(Torture.random(1000 + i * 3000));
        }
        Torture.runBesideGc(gc, RUN_MILLIS, Torture.clients(CLIENTS, RUN_MILLIS, () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String repo = repos.get(random.nextInt(repos.size()));
            int action = random.nextInt(10);
            if (action < 6) {
                pushImage(repo, "t" + random.nextInt(4), sharedLayers);
            } else if (action < 8) {
                int status = torture.send("DELETE", "/v2/" + repo + "/manifests/t" + random.nextInt(4), null).statusCode();
                assertThat(status).isIn(202, 404);
                deletes.incrementAndGet();
            } else {
                Digest layer = Digest.sha256(sharedLayers.get(random.nextInt(sharedLayers.size())));
                String from = repos.get(random.nextInt(repos.size()));
                HttpResponse<byte[]> r = torture.send("POST", "/v2/" + repo + "/blobs/uploads/?mount=" + layer + "&from=" + from, null);
                assertThat(r.statusCode()).isIn(201, 202);
                if (r.statusCode() == 202) {
                    torture.send("DELETE", r.headers().firstValue("Location").orElseThrow(), null);
                } else {
                    mounts.incrementAndGet();
                }
            }
        }));
        while (gc.runOnce().reviews() > 0) {
            // drain what the last pushes and deletes queued
        }
        Thread.sleep(1500); // the review delay of the last links, then what they postponed
        while (gc.runOnce().reviews() > 0) {
            // drain
        }
        System.out.printf("GC torture: %d images, %d manifest pushes refused after GC took a blob, %d tag deletes, %d mounts%n",
                images.get(), refusedAfterGc.get(), deletes.get(), mounts.get());
        assertThat(images.get()).isPositive();

        int tags = 0;
        for (String repo : repos) {
            HttpResponse<byte[]> list = torture.send("GET", "/v2/" + repo + "/tags/list", null);
            if (list.statusCode() == 404) {
                continue;
            }
            JsonNode names = JSON.readTree(list.body()).get("tags");
            for (JsonNode tag : names == null || names.isNull() ? List.<JsonNode>of() : names) {
                HttpResponse<byte[]> manifest = torture.send("GET", "/v2/" + repo + "/manifests/" + tag.asString(), null);
                assertThat(manifest.statusCode()).isEqualTo(200);
                assertThat(Digest.sha256(manifest.body()).toString()).isEqualTo(manifest.headers().firstValue("Docker-Content-Digest").orElseThrow());
                JsonNode m = JSON.readTree(manifest.body());
                List<JsonNode> blobs = new ArrayList<>();
                blobs.add(m.get("config"));
                m.get("layers").forEach(blobs::add);
                for (JsonNode d : blobs) {
                    HttpResponse<byte[]> blob = torture.send("GET", "/v2/" + repo + "/blobs/" + d.get("digest").asString(), null);
                    assertThat(blob.statusCode()).as("blob %s of %s:%s", d.get("digest"), repo, tag).isEqualTo(200);
                    assertThat(Digest.sha256(blob.body()).toString()).isEqualTo(d.get("digest").asString());
                }
                tags++;
            }
        }
        System.out.printf("GC torture: %d tags verified, %d digests pushed%n", tags, pushed.size());
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM blob_links l WHERE NOT EXISTS (SELECT 1 FROM manifest_references r JOIN manifests m ON m.id = r.manifest_id
                  WHERE m.repository_id = l.repository_id AND r.digest = l.digest)""", Long.class)).as("links nothing references").isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM manifests m WHERE NOT EXISTS (SELECT 1 FROM tags t WHERE t.manifest_id = m.id)",
                Long.class)).as("untagged manifests").isZero();
        for (Digest d : pushed) {
            boolean row = jdbc.queryForObject("SELECT count(*) FROM blobs WHERE digest = ?", Integer.class, d.toString()) > 0;
            boolean linked = jdbc.queryForObject("SELECT count(*) FROM blob_links WHERE digest = ?", Integer.class, d.toString()) > 0;
            assertThat(row).as("row of %s, linked %s", d, linked).isEqualTo(linked);
            assertThat(Files.exists(file(d))).as("file of %s (row %s)", d, row).isEqualTo(row);
        }
    }

    private void pushImage(String repo, String tag, List<byte[]> sharedLayers) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<byte[]> layers = new ArrayList<>();
        layers.add(sharedLayers.get(random.nextInt(sharedLayers.size())));
        layers.add(sharedLayers.get(random.nextInt(sharedLayers.size())));
        if (random.nextBoolean()) {
            layers.add(Torture.random(500 + random.nextInt(5000)));
        }
        byte[] config = Torture.config(random.nextLong());
        byte[] manifest = Torture.imageManifest(config, layers);
        for (int attempt = 0; attempt < 10; attempt++) {
            pushBlob(repo, config);
            layers.forEach(l -> pushBlob(repo, l));
            HttpResponse<byte[]> r = torture.putManifest(repo, tag, manifest);
            if (r.statusCode() == 201) {
                images.incrementAndGet();
                return;
            }
            // With a short review delay GC may take a blob between its push and the manifest's: push it again.
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).as("status %s", r.statusCode()).contains("MANIFEST_BLOB_UNKNOWN");
            refusedAfterGc.incrementAndGet();
        }
    }

    private void pushBlob(String repo, byte[] content) {
        pushed.add(Digest.sha256(content));
        HttpResponse<byte[]> r = torture.pushBlob(repo, content);
        assertThat(r.statusCode()).as("blob push: %s", new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
    }

    private static Path file(Digest digest) {
        return DATA_DIR.resolve("blobs").resolve(digest.algorithm().name().toLowerCase()).resolve(digest.hex().substring(0, 2))
                .resolve(digest.hex());
    }
}
