package dev.berth.registry.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The manifest rows in plain SQL, on a migrated H2: what a push writes, what a pull and a delete find. */
class ManifestRecordsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T02:00:00Z");

    private JdbcTemplate jdbc;
    private BlobRecords blobs;
    private ManifestRecords records;
    private long repository;

    @BeforeEach
    void database() {
        jdbc = MetadataDatabase.migrated();
        blobs = new BlobRecords(jdbc);
        records = new ManifestRecords(jdbc);
        repository = repository("app");
    }

    private long repository(String name) {
        blobs.insertRepository(RepositoryName.of(name), NOW);
        return blobs.repositoryId(RepositoryName.of(name)).orElseThrow();
    }

    private long push(long repositoryId, String body, Digest subject) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        Digest config = Digest.sha256(("config of " + body).getBytes(StandardCharsets.UTF_8));
        Digest layer = Digest.sha256(("layer of " + body).getBytes(StandardCharsets.UTF_8));
        return records.insert(repositoryId, Digest.sha256(content), MediaType.OCI_MANIFEST, "application/x-test", subject, content, NOW,
                List.of(new ManifestRecords.Reference(DescriptorKind.CONFIG, config, new MediaType("application/x-config"), 10),
                        new ManifestRecords.Reference(DescriptorKind.LAYER, layer, new MediaType("application/x-layer"), 20)));
    }

    private static final RepositoryName APP = RepositoryName.of("app");

    private static Tag tag(String name) {
        return Tag.of(name);
    }

    private static Digest digestOf(String body) {
        return Digest.sha256(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStoredManifestIsFoundByDigestAndByTagWithItsExactBytes() {
        String body = "{ \"schemaVersion\" : 2 }";
        long id = push(repository, body, null);
        assertThat(records.setTag(repository, tag("1.0"), id, NOW)).isTrue();

        StoredManifest byDigest = records.byDigest(APP, digestOf(body)).orElseThrow();
        assertThat(byDigest.id()).isEqualTo(id);
        assertThat(byDigest.digest()).isEqualTo(digestOf(body));
        assertThat(byDigest.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
        assertThat(byDigest.artifactType()).isEqualTo("application/x-test");
        assertThat(byDigest.size()).isEqualTo(body.length());
        assertThat(new String(byDigest.content(), StandardCharsets.UTF_8)).isEqualTo(body);
        assertThat(byDigest.pushedAt()).isEqualTo(NOW);
        assertThat(records.byTag(APP, tag("1.0")).orElseThrow().id()).isEqualTo(id);

        assertThat(records.byTag(APP, tag("2.0"))).isEmpty();
        assertThat(records.byDigest(RepositoryName.of("other"), digestOf(body))).isEmpty();
        assertThat(records.manifestId(repository, digestOf(body))).contains(id);
    }

    @Test
    void settingATagAgainMovesItAndSaysItIsNotNew() {
        long first = push(repository, "{\"a\":1}", null);
        long second = push(repository, "{\"a\":2}", null);
        assertThat(records.setTag(repository, tag("latest"), first, NOW)).isTrue();
        assertThat(records.setTag(repository, tag("latest"), second, NOW.plusSeconds(1))).isFalse();
        assertThat(records.byTag(APP, tag("latest")).orElseThrow().id()).isEqualTo(second);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM tags", Integer.class)).isEqualTo(1);
    }

    @Test
    void tagPagesAreInByteOrderAfterTheLastOne() {
        long id = push(repository, "{}", null);
        for (String tag : List.of("b", "a", "B", "a-1", "A")) {
            records.setTag(repository, tag(tag), id, NOW);
        }
        assertThat(records.tagPage(repository, "", 10)).containsExactly("A", "B", "a", "a-1", "b");
        assertThat(records.tagPage(repository, "B", 2)).containsExactly("a", "a-1");
        assertThat(records.tagPage(repository, "b", 2)).isEmpty();
    }

    @Test
    void deletingAManifestTakesItsTagsAndDescriptorsAndCountsTheTags() {
        long kept = push(repository, "{\"keep\":1}", null);
        long id = push(repository, "{\"gone\":1}", null);
        records.setTag(repository, tag("1"), id, NOW);
        records.setTag(repository, tag("2"), id, NOW);
        records.setTag(repository, tag("keep"), kept, NOW);

        assertThat(records.deleteManifest(repository, digestOf("{\"gone\":1}"))).isEqualTo(OptionalInt.of(2));

        assertThat(records.byDigest(APP, digestOf("{\"gone\":1}"))).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM manifest_references WHERE manifest_id = ?", Integer.class, id)).isZero();
        assertThat(records.tagPage(repository, "", 10)).containsExactly("keep");
        assertThat(records.deleteManifest(repository, digestOf("{\"gone\":1}"))).isEmpty();
        assertThat(records.deleteManifest(repository(("other")), digestOf("{\"keep\":1}"))).isEmpty();
        assertThat(records.byDigest(APP, digestOf("{\"keep\":1}"))).isPresent();
    }

    @Test
    void deletingATagLeavesItsManifest() {
        long id = push(repository, "{}", null);
        records.setTag(repository, tag("1"), id, NOW);
        assertThat(records.deleteTag(repository, tag("1"))).isEqualTo(1);
        assertThat(records.deleteTag(repository, tag("1"))).isZero();
        assertThat(records.byDigest(APP, digestOf("{}"))).isPresent();
    }

    @Test
    void referrersAreTheRepositorysManifestsWithThatSubjectInDigestOrder() {
        Digest subject = digestOf("{\"subject\":1}");
        push(repository, "{\"subject\":1}", null);
        push(repository, "{\"sig\":1}", subject);
        push(repository, "{\"sig\":2}", subject);
        push(repository, "{\"other\":1}", digestOf("{\"else\":1}"));
        push(repository("elsewhere"), "{\"sig\":3}", subject);

        List<Digest> referrers = records.referrers(APP, subject).stream().map(StoredManifest::digest).toList();
        assertThat(referrers).containsExactlyInAnyOrder(digestOf("{\"sig\":1}"), digestOf("{\"sig\":2}"));
        assertThat(referrers).isSortedAccordingTo((a, b) -> a.toString().compareTo(b.toString()));
    }
}
