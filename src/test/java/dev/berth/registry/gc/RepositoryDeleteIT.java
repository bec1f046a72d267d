package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.metadata.StatsRows;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.RegistryPusher;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 14 item 7 over HTTP: {@code DELETE /api/v1/repositories/NAME} (access control off here:
 * see RepositoryDeleteAccessIT), then GC with no review delay frees exactly the bytes the
 * repository page called exclusive, and the name can be pushed again.
 */
@TestPropertySource(locations = "classpath:immutable-tags.properties",
        properties = {"berth.gc.review-delay=0s", "berth.gc.interval=1h"})
class RepositoryDeleteIT extends RegistryIntegrationTest {

    @Autowired
    GarbageCollector gc;

    @Autowired
    StatsRows stats;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    dev.berth.registry.metadata.QuotaRows quotas;

    private RegistryPusher pusher;

    @org.junit.jupiter.api.BeforeEach
    void pusher() {
        pusher = new RegistryPusher(uri("/")); // the port is known once the server runs
    }

    @Test
    void deletingARepositoryFreesExactlyItsExclusiveBytesAndItsNameCanBePushedAgain() throws Exception {
        String repo = uniqueName("whole") + "/nested";
        String neighbour = uniqueName("neighbour");
        byte[] sharedBytes = randomBytes(7000);
        Descriptor shared = pusher.blob(neighbour, MediaType.OCI_LAYER_GZIP, sharedBytes);
        image(neighbour, "kept", shared);
        assertThat(pusher.blob(repo, MediaType.OCI_LAYER_GZIP, sharedBytes).digest()).isEqualTo(shared.digest());
        Descriptor own = pusher.blob(repo, MediaType.OCI_LAYER_GZIP, randomBytes(50_000));
        image(repo, "1.0", shared, own);
        image(repo, "2.0", own);
        drainGc(); // nothing a manifest holds goes while the repository stands (the review delay is 0)
        Descriptor onlyLinked = pusher.blob(repo, MediaType.OCI_LAYER_GZIP, randomBytes(3000)); // no manifest holds it (yet)
        List<Digest> digests = jdbc.queryForList("""
                SELECT l.digest FROM blob_links l JOIN repositories r ON r.id = l.repository_id WHERE r.name = ?""", String.class, repo)
                .stream().map(Digest::of).toList();
        assertThat(digests).contains(shared.digest(), own.digest(), onlyLinked.digest()).hasSize(5); // and two configs
        long freedIfDeleted = stats.summary(RepositoryName.of(repo)).orElseThrow().exclusiveBytes();
        long before = bytesOnDisk(digests);
        long configs = configSizes(digests, shared, own, onlyLinked);
        String upload = startUpload(repo);
        assertThat(Files.exists(DATA_DIR.resolve("uploads").resolve(upload))).isTrue();

        HttpResponse<String> deleted = delete(repo);

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(catalog(repo)).doesNotContain("\"" + repo + "\"");
        assertThat(catalog(neighbour)).contains("\"" + neighbour + "\"");
        String namespace = repo.substring(0, repo.indexOf('/'));
        assertThat(quotas.used(namespace)).as("the namespace's quota use follows the delete, manifests too")
                .isEqualTo(quotas.recount(namespace));
        assertThat(send("GET", "/v2/" + repo + "/tags/list").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v2/" + repo + "/blobs/uploads/" + upload).statusCode()).isEqualTo(404);
        assertThat(Files.exists(DATA_DIR.resolve("uploads").resolve(upload))).as("staged upload file").isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_events WHERE action = 'repository.delete' AND target = ?",
                Integer.class, "repository " + repo)).isEqualTo(1);
        String storage = storagePage();
        assertThat(storage).as("the Storage page before GC")
                .contains("id=\"reclaimable-bytes\" title=\"" + freedIfDeleted + " bytes\"");
        drainGc();
        assertThat(storagePage()).contains("id=\"reclaimable-bytes\" title=\"0 bytes\"", "id=\"review-lag\" title=\"0 s\"",
                "title=\"" + freedIfDeleted + " bytes freed\""); // the GC run that freed them, recorded in gc_runs
        assertThat(before - bytesOnDisk(digests)).as("bytes freed on disk").isEqualTo(freedIfDeleted)
                .isEqualTo(own.size() + onlyLinked.size() + configs);
        assertThat(Files.exists(file(shared.digest()))).as("the layer the neighbour keeps").isTrue();
        assertThat(send("GET", "/v2/" + neighbour + "/blobs/" + shared.digest()).statusCode()).isEqualTo(200);
        assertThat(stats.summary(RepositoryName.of(neighbour)).orElseThrow().sharedBytes()).isZero();

        assertThat(delete(repo).statusCode()).isEqualTo(404);
        assertThat(delete(repo).body()).contains("\"error\"", "is not known");
        image(repo, "again", pusher.blob(repo, MediaType.OCI_LAYER_GZIP, randomBytes(100)));
        assertThat(send("GET", "/v2/" + repo + "/manifests/again").statusCode()).isEqualTo(200);
        assertThat(catalog(repo)).contains("\"" + repo + "\"");
    }

    @Test
    void aRepositoryHoldingAnImmutableTagIsNotDeleted() throws Exception {
        String repo = uniqueName("frozen");
        image(repo, "v1", pusher.blob(repo, MediaType.OCI_LAYER_GZIP, randomBytes(100)));

        HttpResponse<String> refused = delete(repo);

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("repository " + repo + " holds tag v1, immutable under berth.immutable-tags[1]");
        assertThat(send("GET", "/v2/" + repo + "/manifests/v1").statusCode()).isEqualTo(200);
    }

    private String storagePage() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/admin/storage")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        return page.body();
    }

    private long configSizes(List<Digest> digests, Descriptor... layers) {
        List<Digest> known = java.util.Arrays.stream(layers).map(Descriptor::digest).toList();
        return digests.stream().filter(d -> !known.contains(d))
                .mapToLong(d -> jdbc.queryForObject("SELECT size_bytes FROM blobs WHERE digest = ?", Long.class, d.toString()))
                .sum();
    }

    private void drainGc() {
        while (gc.runOnce().reviews() > 0) {
            // until no review is due
        }
    }

    private long bytesOnDisk(List<Digest> digests) throws Exception {
        long sum = 0;
        for (Digest d : digests) {
            Path f = file(d);
            sum += Files.exists(f) ? Files.size(f) : 0;
        }
        return sum;
    }

    private String startUpload(String repo) throws Exception {
        HttpResponse<Void> started = http.send(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(started.statusCode()).isEqualTo(202);
        String location = started.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        HttpResponse<Void> patched = http.send(HttpRequest.newBuilder(uri(location.startsWith("/") ? location : "/v2/" + repo + "/blobs/uploads/" + id))
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(randomBytes(500)))
                .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(patched.statusCode()).isEqualTo(202);
        return id;
    }

    private HttpResponse<String> delete(String repo) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/v1/repositories/" + repo)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The catalog entry at or right after {@code name} (the name is unique, so nothing else sorts in between). */
    private String catalog(String name) throws Exception {
        String last = java.net.URLEncoder.encode(name.substring(0, name.length() - 1), StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(uri("/v2/_catalog?n=1&last=" + last)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private Descriptor image(String repo, String tag, Descriptor... layers) {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":" + ThreadLocalRandom.current().nextLong() + "}")
                .getBytes(StandardCharsets.UTF_8);
        Descriptor c = pusher.blob(repo, MediaType.OCI_CONFIG, config);
        byte[] body = GarbageCollectionIT.manifest(c, layers);
        Digest digest = pusher.manifest(repo, tag, MediaType.OCI_MANIFEST, body);
        return new Descriptor(MediaType.OCI_MANIFEST, digest, body.length, null, null, null);
    }

    private HttpResponse<Void> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
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
