package dev.berth.registry.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.registry.metadata.QuotaRows;
import dev.berth.testing.RegistryIntegrationTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Quotas over HTTP: an upload completion or manifest push that lands exactly on the namespace's
 * limit passes, one byte more is refused with DENIED and "quota exceeded: USED of LIMIT" and
 * leaves nothing behind; what the namespace holds already counts once and always passes.
 */
@TestPropertySource(properties = {"berth.gc.review-delay=0s", "berth.gc.interval=1h",
        "berth.quotas[0].namespace=configured", "berth.quotas[0].max-bytes=1KB"})
class QuotaIT extends RegistryIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    Quotas quotas;

    @Autowired
    QuotaRows rows;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    QuotaMetrics metrics;

    @Autowired
    RepositoryService repositories;

    @Autowired
    dev.berth.registry.metadata.ManifestRecords manifests;

    @Autowired
    dev.berth.registry.metadata.Transactions transactions;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void anUploadLandingOnTheLimitPassesAndOneByteMoreIsRefusedLeavingNothing() throws Exception {
        String ns = namespace("up");
        quotas.set(ns, 1000, "test");
        byte[] first = bytes(600, 1);
        byte[] exact = bytes(400, 2);
        byte[] over = bytes(1, 3);

        assertThat(putBlob(ns + "/a", first).statusCode()).isEqualTo(201);
        assertThat(putBlob(ns + "/a", exact).statusCode()).as("exactly on the limit").isEqualTo(201);
        assertThat(rows.used(ns)).isEqualTo(1000);
        String storage = new String(send("GET", "/admin/storage", null).body(), StandardCharsets.UTF_8);
        assertThat(storage).as("the Storage page's quota bar").containsPattern("id=\"quota-" + ns
                + "\">[\\s\\S]*?aria-label=\"100% of the quota used\"[\\s\\S]*?title=\"1000 bytes used\"[\\s\\S]*?title=\"1000 bytes limit\"");

        HttpResponse<byte[]> refused = putBlob(ns + "/a", over);
        assertDenied(refused, "quota exceeded: 1001B of 1000B");
        assertNothingOf(ns, over);

        // A chunked upload, refused at its completion: its session goes with its bytes.
        HttpResponse<byte[]> started = send("POST", "/v2/" + ns + "/b/blobs/uploads/", null);
        String location = started.headers().firstValue("Location").orElseThrow();
        HttpResponse<byte[]> patched = send("PATCH", location, over, "Content-Type", "application/octet-stream");
        assertThat(patched.statusCode()).isEqualTo(202);
        String next = patched.headers().firstValue("Location").orElseThrow();
        assertDenied(send("PUT", next + (next.contains("?") ? "&" : "?") + "digest=" + Digest.sha256(over), null),
                "quota exceeded: 1001B of 1000B");
        assertThat(send("GET", next, null).statusCode()).as("the refused upload's session").isEqualTo(404);
        assertNothingOf(ns, over);

        // What the namespace holds already adds nothing: pushed again elsewhere in it, or mounted.
        assertThat(putBlob(ns + "/b", first).statusCode()).isEqualTo(201);
        assertThat(send("POST", "/v2/" + ns + "/c/blobs/uploads/?mount=" + Digest.sha256(exact) + "&from=" + ns + "/a", null)
                .statusCode()).isEqualTo(201);
        assertThat(rows.used(ns)).isEqualTo(1000).isEqualTo(slowCount(ns));
        metrics.refresh();
        assertThat(meters.get("berth.quota.used.bytes").tag("namespace", ns).gauge().value()).isEqualTo(1000);

        // One byte more of room, and the same upload passes.
        quotas.set(ns, 1001, "test");
        assertThat(putBlob(ns + "/a", over).statusCode()).isEqualTo(201);
        assertThat(rows.used(ns)).isEqualTo(1001).isEqualTo(slowCount(ns));
    }

    @Test
    void aManifestPushLandingOnTheLimitPassesAndOneByteMoreIsRefusedLeavingNothing() throws Exception {
        String ns = namespace("mf");
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = bytes(2000, 7);
        byte[] manifest = manifest(config, layer);
        long blobs = config.length + layer.length;
        quotas.set(ns, blobs + manifest.length - 1, "test");
        assertThat(putBlob(ns + "/app", config).statusCode()).isEqualTo(201);
        assertThat(putBlob(ns + "/app", layer).statusCode()).isEqualTo(201);

        HttpResponse<byte[]> refused = putManifest(ns + "/app", "1.0", manifest);
        assertDenied(refused, Quotas.message(blobs + manifest.length, blobs + manifest.length - 1));
        Digest digest = Digest.sha256(manifest);
        assertThat(send("GET", "/v2/" + ns + "/app/manifests/" + digest, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v2/" + ns + "/app/manifests/1.0", null).statusCode()).isEqualTo(404);
        assertThat(jdbc.queryForObject("select count(*) from manifests where digest = ?", Integer.class, digest.toString())).isZero();
        assertThat(rows.used(ns)).isEqualTo(blobs).isEqualTo(slowCount(ns));

        quotas.set(ns, blobs + manifest.length, "test");
        assertThat(putManifest(ns + "/app", "1.0", manifest).statusCode()).as("exactly on the limit").isEqualTo(201);
        assertThat(rows.used(ns)).isEqualTo(blobs + manifest.length).isEqualTo(slowCount(ns));
        // The same manifest again, under another tag: nothing more, so it passes at the limit.
        assertThat(putManifest(ns + "/app", "latest", manifest).statusCode()).isEqualTo(201);
        // A manifest deleted gives its bytes back.
        assertThat(send("DELETE", "/v2/" + ns + "/app/manifests/" + digest, null).statusCode()).isEqualTo(202);
        assertThat(rows.used(ns)).isEqualTo(blobs).isEqualTo(slowCount(ns));
    }

    @Test
    void aBlobSharedByRepositoriesOfOneNamespaceCountsOnceAndOtherNamespacesAreApart() throws Exception {
        String ns = namespace("shared");
        String other = namespace("apart");
        byte[] layer = bytes(3000, 11);
        assertThat(putBlob(ns + "/a", layer).statusCode()).isEqualTo(201);
        assertThat(putBlob(ns + "/b", layer).statusCode()).isEqualTo(201);
        assertThat(putBlob(ns + "/c/d", layer).statusCode()).isEqualTo(201);
        assertThat(putBlob(other + "/a", layer).statusCode()).isEqualTo(201);
        assertThat(rows.used(ns)).isEqualTo(3000).isEqualTo(slowCount(ns));
        assertThat(rows.used(other)).isEqualTo(3000);

        // Unlinked from two of the three: still counted; from the last: gone.
        Digest digest = Digest.sha256(layer);
        assertThat(send("DELETE", "/v2/" + ns + "/a/blobs/" + digest, null).statusCode()).isEqualTo(202);
        assertThat(send("DELETE", "/v2/" + ns + "/b/blobs/" + digest, null).statusCode()).isEqualTo(202);
        assertThat(rows.used(ns)).isEqualTo(3000);
        assertThat(send("DELETE", "/v2/" + ns + "/c/d/blobs/" + digest, null).statusCode()).isEqualTo(202);
        assertThat(rows.used(ns)).isZero().isEqualTo(slowCount(ns));
        assertThat(rows.used(other)).isEqualTo(3000);
    }

    @Test
    void aConfiguredQuotaAppliesAndCannotBeChangedInTheUi() throws Exception {
        String ns = "configured";
        assertThat(quotas.limit(ns)).contains(1024L);
        assertThat(putBlob(ns + "/x", bytes(1024, 5)).statusCode()).isEqualTo(201);
        assertDenied(putBlob(ns + "/x", bytes(1, 6)), "quota exceeded: 1.03kB of 1.02kB");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> quotas.set(ns, 5000, "admin"))
                .hasMessageContaining("berth.quotas[0]");
        assertThat(quotas.uses()).filteredOn(u -> u.namespace().equals(ns)).singleElement()
                .satisfies(u -> assertThat(u.configured()).isTrue())
                .satisfies(u -> assertThat(u.percent()).isEqualTo(100));
    }

    @Test
    void theSameManifestAddedByTwoTransactionsAtOnceCountsOnce() throws Exception {
        // The race the blob's row lock does not cover: two repositories of one namespace storing one
        // manifest at once. The second waits for the first's namespace lock and then sees its row.
        String ns = namespace("race");
        long a = repositories.getOrCreateId(dev.berth.oci.RepositoryName.of(ns + "/a"));
        long b = repositories.getOrCreateId(dev.berth.oci.RepositoryName.of(ns + "/b"));
        quotas.set(ns, 1_000_000, "test"); // the namespace's row exists before (else the second insert of it decides)
        byte[] content = ("{\"schemaVersion\":2,\"n\":\"" + ns + "\"}").getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);
        java.time.Instant now = java.time.Instant.now();
        java.util.concurrent.CountDownLatch firstInserted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch secondStarted = new java.util.concurrent.CountDownLatch(1);
        var first = java.util.concurrent.CompletableFuture.runAsync(() -> transactions.inTransaction(() -> {
            manifests.insert(a, digest, dev.berth.oci.MediaType.OCI_MANIFEST, null, null, content, now, java.util.List.of());
            firstInserted.countDown();
            try {
                secondStarted.await(10, java.util.concurrent.TimeUnit.SECONDS);
                Thread.sleep(500); // the second is inside its insert now: waiting for the namespace (without the lock: counted already)
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));
        assertThat(firstInserted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        var second = java.util.concurrent.CompletableFuture.runAsync(() -> transactions.retryingOnConflict(() -> {
            secondStarted.countDown();
            manifests.insert(b, digest, dev.berth.oci.MediaType.OCI_MANIFEST, null, null, content, now, java.util.List.of());
            return null;
        }));
        first.get(30, java.util.concurrent.TimeUnit.SECONDS);
        second.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(rows.used(ns)).isEqualTo(content.length).isEqualTo(slowCount(ns));
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

    private void assertNothingOf(String ns, byte[] content) {
        Digest digest = Digest.sha256(content);
        assertThat(jdbc.queryForObject("select count(*) from blobs where digest = ?", Integer.class, digest.toString())).isZero();
        assertThat(jdbc.queryForObject("select count(*) from blob_links where digest = ?", Integer.class, digest.toString())).isZero();
        assertThat(Files.exists(file(digest))).as("file of the refused blob").isFalse();
        assertThat(rows.used(ns)).isEqualTo(slowCount(ns));
    }

    private static void assertDenied(HttpResponse<byte[]> response, String message) {
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(403);
        JsonNode error = JSON.readTree(response.body()).get("errors").get(0);
        assertThat(error.get("code").asString()).isEqualTo("DENIED");
        assertThat(error.get("message").asString()).isEqualTo(message);
    }

    private static String namespace(String prefix) {
        return "q" + prefix + Long.toString(System.nanoTime(), 36);
    }

    private static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    static byte[] manifest(byte[] config, byte[]... layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":[");
        for (int i = 0; i < layers.length; i++) {
            json.append(i == 0 ? "" : ",").append(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layers[i]));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String descriptor(String type, byte[] content) {
        return "{\"mediaType\":\"" + type + "\",\"digest\":\"" + Digest.sha256(content) + "\",\"size\":" + content.length + "}";
    }

    private HttpResponse<byte[]> putBlob(String repo, byte[] content) {
        return send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Digest.sha256(content), content,
                "Content-Type", "application/octet-stream");
    }

    private HttpResponse<byte[]> putManifest(String repo, String tag, byte[] manifest) {
        return send("PUT", "/v2/" + repo + "/manifests/" + tag, manifest, "Content-Type", "application/vnd.oci.image.manifest.v1+json");
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

    private static Path file(Digest digest) {
        return DATA_DIR.resolve("blobs").resolve(digest.algorithm().name().toLowerCase()).resolve(digest.hex().substring(0, 2))
                .resolve(digest.hex());
    }
}
