package dev.berth.registry.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.metadata.StatsRows.Summary;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each repository's stats row on a migrated H2, as pushes, links and deletes move it. */
class StatsRowsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

    private final MetadataFixture db = new MetadataFixture();

    private Summary summary(String name) {
        return db.stats.summary(RepositoryName.of(name)).orElseThrow();
    }

    @Test
    void aNewRepositoryIsAllZeroAndAnUnknownOneHasNoRow() {
        db.repository("app", T0);

        Summary app = summary("app");
        assertThat(app.name()).isEqualTo(RepositoryName.of("app"));
        assertThat(app.tagCount() + app.manifestCount() + app.exclusiveBytes() + app.sharedBytes()).isZero();
        assertThat(app.lastPushed()).isNull();
        assertThat(db.stats.summary(RepositoryName.of("nobody"))).isEmpty();
    }

    @Test
    void aBlobLinkedByTwoRepositoriesIsSharedInBothAndStoredOnce() {
        long a = db.repository("a", T0);
        long b = db.repository("b", T0);
        db.image(a, "1.0", "config", "the shared layer", T0);
        db.image(b, "1.0", "other config", "the shared layer", T0.plusSeconds(5));

        assertThat(summary("a").sharedBytes()).isEqualTo("the shared layer".length());
        assertThat(summary("a").exclusiveBytes()).isEqualTo("config".length());
        assertThat(summary("b").exclusiveBytes()).isEqualTo("other config".length());
        assertThat(summary("b").lastPushed()).isEqualTo(T0.plusSeconds(5));
        assertThat(db.catalog.totals().storedBytes()).isEqualTo("config".length() + "other config".length() + "the shared layer".length());
        assertThat(db.catalog.totals().savedBytes()).isEqualTo("the shared layer".length());

        Digest shared = Digest.sha256("the shared layer".getBytes());
        db.jdbc.update("delete from blob_links where repository_id = ? and digest = ?", b, shared.toString());
        db.stats.unlinked(b, shared);
        assertThat(summary("a").sharedBytes()).isZero();
        assertThat(summary("a").exclusiveBytes()).isEqualTo("config".length() + "the shared layer".length());
    }

    @Test
    void aDeleteTakesItsManifestsAndTagsOffAndTheLastPushGoesBack() {
        long app = db.repository("app", T0);
        db.image(app, "1.0", "config 1", "layer 1", T0);
        Digest second = db.image(app, "2.0", "config 2", "layer 2", T0.plusSeconds(60));
        assertThat(summary("app").manifestCount()).isEqualTo(2);
        assertThat(summary("app").tagCount()).isEqualTo(2);

        db.stats.deleted(app, 1, db.manifests.deleteManifest(app, second).orElseThrow());

        assertThat(summary("app").manifestCount()).isEqualTo(1);
        assertThat(summary("app").tagCount()).isEqualTo(1);
        assertThat(summary("app").lastPushed()).isEqualTo(T0);
    }
}
