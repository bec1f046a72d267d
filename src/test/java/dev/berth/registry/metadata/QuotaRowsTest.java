package dev.berth.registry.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Each namespace's usage on a migrated H2, as links and manifests come and go, and its backfill by V10. */
class QuotaRowsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

    private final MetadataFixture db = new MetadataFixture();
    private final QuotaRows quotas = new QuotaRows(db.jdbc);

    private static long size(String... contents) {
        long n = 0;
        for (String c : contents) {
            n += c.getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }

    @Test
    void aBlobSharedByTwoRepositoriesOfANamespaceCountsOnceAndLeavesWithItsLastLink() {
        long a = db.repository("team/a", T0);
        long b = db.repository("team/b", T0);
        long other = db.repository("other/a", T0);
        Digest shared = db.blob(a, "the shared layer", T0);
        db.blob(b, "the shared layer", T0);
        db.blob(b, "b's own", T0);
        db.blob(other, "the shared layer", T0);

        assertThat(quotas.used("team")).isEqualTo(size("the shared layer", "b's own")).isEqualTo(quotas.recount("team"));
        assertThat(quotas.used("other")).isEqualTo(size("the shared layer"));

        db.jdbc.update("delete from blob_links where repository_id = ? and digest = ?", a, shared.toString());
        db.stats.unlinked(a, shared);
        assertThat(quotas.used("team")).isEqualTo(size("the shared layer", "b's own"));

        db.jdbc.update("delete from blob_links where repository_id = ? and digest = ?", b, shared.toString());
        db.stats.unlinked(b, shared);
        assertThat(quotas.used("team")).isEqualTo(size("b's own")).isEqualTo(quotas.recount("team"));
        assertThat(quotas.used("other")).isEqualTo(size("the shared layer"));
    }

    @Test
    void manifestsCountByTheirBytesOnceAndADeleteTakesThemOff() {
        long a = db.repository("team/a", T0);
        long b = db.repository("team/b", T0);
        Digest image = db.image(a, "1.0", "config", "layer", T0);
        long manifestSize = db.jdbc.queryForObject("select size_bytes from manifests where repository_id = ?", Long.class, a);
        assertThat(quotas.used("team")).isEqualTo(size("config", "layer") + manifestSize);

        // The same manifest in a second repository of the namespace, and its blobs mounted there: nothing more.
        db.blob(b, "config", T0);
        db.blob(b, "layer", T0);
        byte[] content = db.jdbc.queryForObject("select content from manifests where repository_id = ?", byte[].class, a);
        assertThat(quotas.wouldReference(b, image, content.length).addedBytes()).isZero();
        db.manifests.insert(b, image, MediaType.OCI_MANIFEST, null, null, content, T0, List.of());
        assertThat(quotas.used("team")).isEqualTo(size("config", "layer") + manifestSize).isEqualTo(quotas.recount("team"));

        db.manifests.deleteManifest(a, image);
        assertThat(quotas.used("team")).isEqualTo(size("config", "layer") + manifestSize);
        db.manifests.deleteManifest(b, image);
        assertThat(quotas.used("team")).isEqualTo(size("config", "layer")).isEqualTo(quotas.recount("team"));
    }

    @Test
    void wouldReferenceAddsTheSizeOnlyForADigestNewToTheNamespace() {
        long a = db.repository("team/a", T0);
        long b = db.repository("team/b", T0);
        db.blob(a, "kept", T0);
        Digest kept = Digest.sha256("kept".getBytes(StandardCharsets.UTF_8));
        Digest fresh = Digest.sha256("fresh".getBytes(StandardCharsets.UTF_8));

        assertThat(quotas.wouldReference(b, kept, 4)).isEqualTo(new QuotaRows.Change("team", 0, 4));
        assertThat(quotas.wouldReference(b, fresh, 5)).isEqualTo(new QuotaRows.Change("team", 5, 9));
        assertThat(quotas.used("team")).isEqualTo(4);
    }

    @Test
    void aRepositoryDroppedWholeTakesOffWhatNoOtherRepositoryOfItsNamespaceReferences() {
        long a = db.repository("team/a", T0);
        long b = db.repository("team/b", T0);
        db.image(a, "1.0", "config a", "the shared layer", T0);
        db.image(b, "1.0", "config b", "the shared layer", T0);
        long before = quotas.used("team");

        quotas.repositoryDropping(a);
        db.jdbc.update("delete from repositories where id = ?", a);

        assertThat(quotas.used("team")).isLessThan(before).isEqualTo(quotas.recount("team"));
    }

    @Test
    void limitsSetInTheUiAreListedWithTheUse() {
        long a = db.repository("team/a", T0);
        db.blob(a, "12345", T0);
        quotas.setLimit("team", 100, "admin", T0);
        quotas.setLimit("empty", 7, "admin", T0);
        quotas.setLimit("team", 10, "root", T0);

        assertThat(quotas.all()).containsExactly(
                new QuotaRows.Usage("empty", 0, 7L, "admin", T0),
                new QuotaRows.Usage("team", 5, 10L, "root", T0));
        assertThat(quotas.clearLimit("team")).isTrue();
        assertThat(quotas.clearLimit("team")).isFalse();
        assertThat(quotas.storedLimit("team")).isEmpty();
    }

    @Test
    void theMigrationCountsWhatWasStoredBeforeIt() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:quota-backfill;DB_CLOSE_DELAY=-1");
        dataSource.setUser("berth");
        Flyway.configure().dataSource(dataSource).target(MigrationVersion.fromVersion("8"))
                .locations("classpath:db/migration/common", "classpath:db/migration/h2").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update("insert into repositories (id, name, created_at) values (1, 'team/a', current_timestamp), (2, 'team/b/c', current_timestamp),"
                + " (3, 'solo', current_timestamp), (4, 'empty/x', current_timestamp)");
        jdbc.update("insert into blobs (digest, size_bytes, created_at) values ('sha256:aa', 100, current_timestamp), ('sha256:bb', 30, current_timestamp)");
        jdbc.update("insert into blob_links (repository_id, digest, linked_at) values (1, 'sha256:aa', current_timestamp),"
                + " (2, 'sha256:aa', current_timestamp), (2, 'sha256:bb', current_timestamp), (3, 'sha256:bb', current_timestamp)");
        jdbc.update("insert into manifests (repository_id, digest, media_type, size_bytes, content, pushed_at) values"
                + " (1, 'sha256:m1', 'application/vnd.oci.image.manifest.v1+json', 7, X'00', current_timestamp),"
                + " (2, 'sha256:m1', 'application/vnd.oci.image.manifest.v1+json', 7, X'00', current_timestamp)");

        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/common", "classpath:db/migration/h2").load().migrate();

        QuotaRows migrated = new QuotaRows(jdbc);
        assertThat(migrated.used("team")).isEqualTo(100 + 30 + 7).isEqualTo(migrated.recount("team"));
        assertThat(migrated.used("solo")).isEqualTo(30);
        assertThat(migrated.all()).extracting(QuotaRows.Usage::namespace).containsExactly("empty", "solo", "team");
    }
}
