package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.registry.metadata.QuotaRows;
import dev.berth.testing.RegistryIntegrationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pushes (monolithic and chunked blob uploads, mounts, manifest pushes) race whole-repository
 * deletes of the same repository, over and over: every push ends either done (into the
 * repository as it stood, or a fresh one of the same name) or with an OCI error, never a 500;
 * afterwards the counts equal a slow recount, GC leaves no blob nothing links, fsck finds
 * nothing wrong and every tag left pulls whole.
 */
@TestPropertySource(properties = {"berth.gc.review-delay=0s", "berth.gc.interval=1h"})
class RepositoryDeleteRaceIT extends RegistryIntegrationTest {

    /** This test's digests and upload ids: the data directory also holds other classes' blobs and uploads. */
    private final java.util.Set<String> mine = ConcurrentHashMap.newKeySet();

    private static final long RUN_MILLIS = 12_000;
    private static final int PUSHERS = 4;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    GarbageCollector gc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    QuotaRows quotas;

    @Autowired
    FsckService fsck;

    /** Status (and OCI code) to how often it came: the test's record of what clients saw. */
    private final ConcurrentMap<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final List<String> serverErrors = java.util.Collections.synchronizedList(new ArrayList<>());

    @Test
    void pushesRacingDeletesOfTheirRepositoryEndCleanly() throws Exception {
        String namespace = uniqueName("race");
        String repo = namespace + "/app";
        String neighbour = namespace + "/base";
        byte[] sharedLayer = random(4000);
        assertThat(pushBlob(neighbour, sharedLayer)).isEqualTo(201); // a mount source the deletes never touch
        AtomicInteger deletes = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(PUSHERS + 1);
        List<Future<?>> work = new ArrayList<>();
        long end = System.currentTimeMillis() + RUN_MILLIS;
        try {
            work.add(threads.submit(() -> {
                while (System.currentTimeMillis() < end) {
                    HttpResponse<byte[]> r = send("DELETE", "/api/v1/repositories/" + repo, null);
                    record("delete", r);
                    if (r.statusCode() == 204) {
                        deletes.incrementAndGet();
                    }
                    Thread.sleep(20 + ThreadLocalRandom.current().nextInt(300)); // room for whole images between deletes
                }
                return null;
            }));
            for (int p = 0; p < PUSHERS; p++) {
                work.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.currentTimeMillis() < end) {
                        switch (random.nextInt(4)) {
                            case 0 -> chunkedBlob(repo, random(200 + random.nextInt(3000)));
                            case 1 -> record("mount", send("POST", "/v2/" + repo + "/blobs/uploads/?mount=" + Digest.sha256(sharedLayer)
                                    + "&from=" + neighbour, null));
                            default -> image(repo, "t" + random.nextInt(3), sharedLayer);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(RUN_MILLIS + 120_000, TimeUnit.MILLISECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        System.out.printf("repository delete race: %d deletes; outcomes %s%n", deletes.get(), new java.util.TreeMap<>(outcomes));

        assertThat(serverErrors).as("answers of 500 and up").isEmpty();
        assertThat(deletes.get()).as("deletes that found a repository").isGreaterThan(5);
        assertThat(outcomes.keySet()).as("manifest pushes that completed").anyMatch(k -> k.startsWith("manifest 201"));
        assertThat(quotas.used(namespace)).as("the namespace's quota use").isEqualTo(quotas.recount(namespace));
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM repository_stats s WHERE s.size_bytes <> (SELECT coalesce(sum(b.size_bytes), 0)
                  FROM blob_links l JOIN blobs b ON b.digest = l.digest WHERE l.repository_id = s.repository_id)""", Long.class))
                .as("repositories whose counted size differs from their links' sum").isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM repositories r WHERE NOT EXISTS (SELECT 1 FROM repository_stats s"
                + " WHERE s.repository_id = r.id)", Long.class)).as("repositories without their stats row").isZero();

        while (gc.runOnce().reviews() > 0) {
            // drain what the pushes and deletes queued
        }
        assertThat(jdbc.queryForList("SELECT digest FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM blob_links l WHERE l.digest = b.digest)",
                String.class)).as("blobs no repository links, left after GC").isEmpty();
        // The data directory is shared by the servers of other test classes (each with a database of
        // its own): their blob files and staged uploads are orphans to this one, and are not this test's.
        FsckService.Result check = fsck.check();
        assertThat(check.truncated()).as(check.summary()).isFalse();
        assertThat(check.findings().stream().filter(f -> f.kind().problem())
                .filter(f -> (f.kind() != FsckFinding.Kind.ORPHAN && f.kind() != FsckFinding.Kind.UPLOAD)
                        || mine.stream().anyMatch(f.subject()::contains)))
                .as(check.summary()).isEmpty();
        verifyTags(repo);
    }

    private void image(String repo, String tag, byte[] sharedLayer) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + ThreadLocalRandom.current().nextLong() + "}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] own = random(300 + ThreadLocalRandom.current().nextInt(2000));
        for (byte[] blob : List.of(config, own, sharedLayer)) {
            if (pushBlob(repo, blob) != 201) {
                return;
            }
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", own) + ","
                + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", sharedLayer) + "]}";
        record("manifest", send("PUT", "/v2/" + repo + "/manifests/" + tag, manifest.getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/vnd.oci.image.manifest.v1+json"));
    }

    private int pushBlob(String repo, byte[] content) {
        mine.add(Digest.sha256(content).toString());
        HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Digest.sha256(content), content,
                "Content-Type", "application/octet-stream");
        record("blob", r);
        return r.statusCode();
    }

    private void chunkedBlob(String repo, byte[] content) {
        mine.add(Digest.sha256(content).toString());
        HttpResponse<byte[]> started = send("POST", "/v2/" + repo + "/blobs/uploads/", null);
        record("start", started);
        if (started.statusCode() != 202) {
            return;
        }
        String location = started.headers().firstValue("Location").orElseThrow();
        started.headers().firstValue("Docker-Upload-UUID").ifPresent(mine::add);
        HttpResponse<byte[]> patched = send("PATCH", location, content, "Content-Type", "application/octet-stream");
        record("patch", patched);
        if (patched.statusCode() != 202) {
            return;
        }
        String next = patched.headers().firstValue("Location").orElse(location);
        record("complete", send("PUT", next + (next.contains("?") ? "&" : "?") + "digest=" + Digest.sha256(content), null));
    }

    private void record(String what, HttpResponse<byte[]> r) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        java.util.regex.Matcher code = java.util.regex.Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"").matcher(body);
        String key = what + " " + r.statusCode() + (code.find() ? " " + code.group(1) : "");
        outcomes.computeIfAbsent(key, k -> new LongAdder()).increment();
        if (r.statusCode() >= 500) {
            serverErrors.add(what + " " + r.statusCode() + ": " + body);
        }
    }

    private void verifyTags(String repo) throws Exception {
        HttpResponse<byte[]> list = send("GET", "/v2/" + repo + "/tags/list", null);
        if (list.statusCode() == 404) {
            return; // the last delete came after the last push
        }
        JsonNode names = JSON.readTree(list.body()).get("tags");
        for (JsonNode tag : names == null || names.isNull() ? List.<JsonNode>of() : names) {
            HttpResponse<byte[]> manifest = send("GET", "/v2/" + repo + "/manifests/" + tag.asString(), null);
            assertThat(manifest.statusCode()).isEqualTo(200);
            JsonNode m = JSON.readTree(manifest.body());
            List<JsonNode> blobs = new ArrayList<>();
            blobs.add(m.get("config"));
            m.get("layers").forEach(blobs::add);
            for (JsonNode d : blobs) {
                HttpResponse<byte[]> blob = send("GET", "/v2/" + repo + "/blobs/" + d.get("digest").asString(), null);
                assertThat(blob.statusCode()).as("blob %s of %s:%s", d.get("digest"), repo, tag).isEqualTo(200);
                assertThat(Digest.sha256(blob.body()).toString()).isEqualTo(d.get("digest").asString());
            }
        }
    }

    private static String descriptor(String type, byte[] content) {
        return "{\"mediaType\":\"" + type + "\",\"digest\":\"" + Digest.sha256(content) + "\",\"size\":" + content.length + "}";
    }

    private HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(path.startsWith("http") ? java.net.URI.create(path) : uri(path))
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
