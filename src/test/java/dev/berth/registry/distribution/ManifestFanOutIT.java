package dev.berth.registry.distribution;

import static dev.berth.registry.distribution.OciClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.metadata.Transactions;
import dev.berth.testing.StatsOracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 12, item 7: manifests of 36,000 layers (4.1 MB; Berth's default limit is 4 MiB, as is
 * distribution's) are stored with every reference, served, re-tagged, refused when a layer is
 * missing, shown and deleted. Before the fix, H2 kept a manifest's bytes inside its row, and once
 * another big manifest was stored, the foreign key check of each of the 36,000 reference rows
 * read the new manifest's 4 MB row again: the second push below took minutes (150 s here) and
 * its timeout fails the test. Nothing asserts a duration; each timeout is many times what its
 * test takes now.
 *
 * <p>Pushing 36,000 blobs over HTTP would take minutes, so the layers' blobs are written the way
 * an upload leaves them (the file under its digest, the blob row, the repository's link) straight
 * into the store and the database, and the repository's statistics are set to what they must
 * be. The config and everything after is the API's own work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManifestFanOutIT extends OciSpecTest {

    static final int LAYERS = 36_000;
    static final int TAGS = 4;
    /** Short, so that 36,000 descriptors fit the 4 MiB manifest limit (distribution's too). */
    static final String LAYER_TYPE = "x/tar";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Transactions transactions;

    private final String repo = uniqueName("fanout");
    private OciClient.Blob config;
    private List<OciClient.Blob> layers;
    private byte[] manifest;
    private String digest;

    @BeforeAll
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void pushAManifestOf36000Layers() {
        config = registry().pushBlob(repo, utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"repo\":\"" + repo + "\"}"));
        layers = storeLinkedBlobs(repo, LAYERS);
        manifest = manifest(config, layers);
        assertThat(manifest.length).isBetween(4_000_000, 4 * 1024 * 1024);
        digest = OciClient.sha256(manifest);

        OciClient.Response r = registry().putManifest(repo, "v1", OciClient.OCI_MANIFEST, manifest);

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.header("Docker-Content-Digest")).isEqualTo(digest);
    }

    @Test
    @Order(1)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyReferenceIsStoredInOrderAndTheManifestAndItsLayersArePulled() {
        List<String> stored = jdbc.queryForList("""
                select r.kind || ' ' || r.digest || ' ' || r.size_bytes from manifest_references r
                join manifests m on m.id = r.manifest_id join repositories p on p.id = m.repository_id
                where p.name = ? and m.digest = ? order by r.ordinal""", String.class, repo, digest);
        List<String> expected = new ArrayList<>(List.of("CONFIG " + config.digest() + " " + config.size()));
        layers.forEach(l -> expected.add("LAYER " + l.digest() + " " + l.size()));
        assertThat(stored).hasSize(LAYERS + 1).isEqualTo(expected);

        OciClient.Response head = registry().head("/v2/" + repo + "/manifests/v1", "Accept", OciClient.OCI_MANIFEST);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Docker-Content-Digest")).isEqualTo(digest);
        assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(manifest.length));
        OciClient.Response get = registry().get("/v2/" + repo + "/manifests/" + digest, "Accept", OciClient.OCI_MANIFEST);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(manifest);
        for (int i : new int[] {0, LAYERS / 2, LAYERS - 1}) {
            OciClient.Response blob = registry().get("/v2/" + repo + "/blobs/" + layers.get(i).digest());
            assertThat(blob.status()).as("layer %d", i).isEqualTo(200);
            assertThat(blob.body()).isEqualTo(layers.get(i).content());
        }
    }

    /**
     * A second manifest of 36,000 references while the first is stored: before the fix, H2 read
     * and decoded the 4 MB row of the new manifest again for each reference's foreign key check
     * (150 s here).
     */
    @Test
    @Order(2)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void oneLayerRepeated36000TimesIsStoredAsPushedAndDeleted() {
        OciClient.Blob layer = layers.get(7);
        byte[] same = manifest(config, Collections.nCopies(LAYERS, layer));
        String sameDigest = OciClient.sha256(same);

        assertThat(registry().putManifest(repo, "same", OciClient.OCI_MANIFEST, same).status()).isEqualTo(201);

        assertThat(jdbc.queryForList("""
                select r.digest from manifest_references r join manifests m on m.id = r.manifest_id
                join repositories p on p.id = m.repository_id
                where p.name = ? and m.digest = ? and r.kind = 'LAYER' order by r.ordinal""", String.class, repo, sameDigest))
                .hasSize(LAYERS).containsOnly(layer.digest());
        assertThat(registry().get("/v2/" + repo + "/manifests/same").body()).isEqualTo(same);
        assertThat(registry().delete("/v2/" + repo + "/manifests/" + sameDigest).status()).isEqualTo(202);
        assertThat(registry().head("/v2/" + repo + "/manifests/same").status()).isEqualTo(404);
        assertThat(StatsOracle.actual(jdbc, repo)).isEqualTo(StatsOracle.expected(jdbc, repo));
    }

    @Test
    @Order(3)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theSameManifestTakesMoreTags() {
        for (int i = 2; i <= TAGS; i++) {
            OciClient.Response r = registry().putManifest(repo, "v" + i, OciClient.OCI_MANIFEST, manifest);
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            assertThat(r.header("Docker-Content-Digest")).isEqualTo(digest);
        }
        assertThat(registry().get("/v2/" + repo + "/tags/list").json().get("tags").valueStream().map(t -> t.asString()))
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, TAGS).mapToObj(i -> "v" + i).toList());
        assertThat(StatsOracle.actual(jdbc, repo)).isEqualTo(StatsOracle.expected(jdbc, repo));
    }

    @Test
    @Order(4)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aManifestWithOneUnknownLayerAmong36000IsRefusedAndLeavesNoRow() {
        OciClient.Blob unknown = OciClient.Blob.of(utf8("never pushed " + repo));
        List<OciClient.Blob> withUnknown = new ArrayList<>(layers.subList(1, LAYERS));
        withUnknown.add(unknown);
        long references = referenceRows();

        OciClient.Response r = registry().putManifest(repo, "broken", OciClient.OCI_MANIFEST, manifest(config, withUnknown));

        assertOciError(r, 400, "MANIFEST_BLOB_UNKNOWN");
        assertThat(r.text()).contains(unknown.digest());
        assertThat(referenceRows()).isEqualTo(references);
        assertThat(registry().head("/v2/" + repo + "/manifests/broken").status()).isEqualTo(404);
    }

    @Test
    @Order(5)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theImagePageListsEveryLayerWithALinkToEach() {
        OciClient.Response page = registry().get("/r/" + repo + "/-/tag/v1");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Layers (36000)")
                .contains("href=\"/r/" + repo + "/-/manifest/" + digest + "/layer/0\"")
                .contains("href=\"/r/" + repo + "/-/manifest/" + digest + "/layer/35999\"");
    }

    @Test
    @Order(6)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLayerDeletedSinceIsMissedWhenTheManifestIsPushedAgain() {
        OciClient.Blob last = layers.get(LAYERS - 1);
        assertThat(registry().delete("/v2/" + repo + "/blobs/" + last.digest()).status()).isEqualTo(202);

        OciClient.Response r = registry().putManifest(repo, "v" + (TAGS + 1), OciClient.OCI_MANIFEST, manifest);

        assertOciError(r, 400, "MANIFEST_BLOB_UNKNOWN");
        assertThat(r.text()).contains(last.digest());
        assertThat(registry().head("/v2/" + repo + "/manifests/v" + (TAGS + 1)).status()).isEqualTo(404);
        assertThat(registry().head("/v2/" + repo + "/manifests/v1").status()).isEqualTo(200);
    }

    @Test
    @Order(7)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void deletingTheManifestRemovesItsTagsAndEveryReference() {
        long references = referenceRows();

        assertThat(registry().delete("/v2/" + repo + "/manifests/" + digest).status()).isEqualTo(202);

        assertThat(registry().head("/v2/" + repo + "/manifests/" + digest).status()).isEqualTo(404);
        assertThat(registry().head("/v2/" + repo + "/manifests/v" + TAGS).status()).isEqualTo(404);
        assertThat(registry().get("/v2/" + repo + "/tags/list").json().get("tags").isEmpty()).isTrue();
        assertThat(referenceRows()).isEqualTo(references - LAYERS - 1);
        assertThat(StatsOracle.actual(jdbc, repo)).isEqualTo(StatsOracle.expected(jdbc, repo));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anIndexOf500ChildrenNeedsEveryChildAndShowsWhichAreStillHere() {
        List<String> children = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] child = manifest(config, List.of(layers.get(i)));
            registry().pushManifest(repo, OciClient.sha256(child), OciClient.OCI_MANIFEST, child);
            children.add(OciClient.sha256(child));
            children.add(Integer.toString(child.length));
        }
        List<String> withUnknown = new ArrayList<>(children);
        String unknown = OciClient.sha256(utf8("no such child of " + repo));
        withUnknown.addAll(List.of(unknown, "100"));

        OciClient.Response refused = registry().putManifest(repo, "all", OciClient.OCI_INDEX,
                OciClient.index(OciClient.OCI_INDEX, OciClient.OCI_MANIFEST, withUnknown.toArray(String[]::new)));
        assertOciError(refused, 400, "MANIFEST_BLOB_UNKNOWN");
        assertThat(refused.text()).contains(unknown);

        byte[] index = OciClient.index(OciClient.OCI_INDEX, OciClient.OCI_MANIFEST, children.toArray(String[]::new));
        assertThat(registry().putManifest(repo, "all", OciClient.OCI_INDEX, index).status()).isEqualTo(201);
        String gone = children.get(2 * 123);
        assertThat(registry().delete("/v2/" + repo + "/manifests/" + gone).status()).isEqualTo(202);

        String page = registry().get("/r/" + repo + "/-/tag/all").text();
        assertThat(page).contains(gone + " (not in this repository)");
        assertThat(page.split(" \\(not in this repository\\)", -1)).hasSize(2);
        assertThat(page).contains("href=\"/r/" + repo + "/-/manifest/" + children.get(0) + "\"")
                .contains("href=\"/r/" + repo + "/-/manifest/" + children.get(2 * 499) + "\"");
        assertThat(registry().delete("/v2/" + repo + "/manifests/" + OciClient.sha256(index)).status()).isEqualTo(202);
    }

    private long referenceRows() {
        return jdbc.queryForObject("select count(*) from manifest_references", Long.class);
    }

    static byte[] manifest(OciClient.Blob config, List<OciClient.Blob> layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\",\"config\":"
                + OciClient.descriptor(OciClient.OCI_CONFIG, config) + ",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            json.append(i == 0 ? "" : ",").append(OciClient.descriptor(LAYER_TYPE, layers.get(i)));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code count} distinct blobs stored and linked into {@code repository} (which must exist),
     * as a finished upload leaves them, in one transaction; then the repository's byte counts.
     */
    private List<OciClient.Blob> storeLinkedBlobs(String repository, int count) {
        List<OciClient.Blob> blobs = IntStream.range(0, count)
                .mapToObj(i -> OciClient.Blob.of(utf8("layer " + i + " of " + repository + "\n"))).toList();
        try {
            for (OciClient.Blob b : blobs) {
                Path file = blobFile(b.digest());
                Files.createDirectories(file.getParent());
                Files.write(file, b.content());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long repositoryId = jdbc.queryForObject("select id from repositories where name = ?", Long.class, repository);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        transactions.retryingOnConflict(() -> {
            jdbc.batchUpdate("insert into blobs (digest, size_bytes, created_at) values (?, ?, ?)",
                    blobs.stream().map(b -> new Object[] {b.digest(), b.size(), now}).toList());
            jdbc.batchUpdate("insert into blob_links (repository_id, digest, linked_at) values (?, ?, ?)",
                    blobs.stream().map(b -> new Object[] {repositoryId, b.digest(), now}).toList());
            StatsOracle.Row right = StatsOracle.expected(jdbc, repository);
            jdbc.update("update repository_stats set size_bytes = ?, shared_bytes = ?, owned_bytes = ? where repository_id = ?",
                    right.sizeBytes(), right.sharedBytes(), right.ownedBytes(), repositoryId);
            return null;
        });
        return blobs;
    }
}
