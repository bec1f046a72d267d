package dev.berth.registry.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.oci.Tag;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The GC review queue's SQL on a migrated H2: what the dropping transactions queue, and claims that skip each other. */
class GcReviewsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

    private final MetadataFixture db = new MetadataFixture();
    private final GcReviews reviews = new GcReviews(db.jdbc);

    private static Digest digest(String text) {
        return Digest.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<String> queued() {
        return db.jdbc.queryForList("SELECT kind || ' ' || digest FROM gc_reviews ORDER BY kind, digest", String.class);
    }

    @Test
    void workersOnTwoConnectionsNeverTakeTheSameReviewAndNotOneThatIsNotDue() throws Exception {
        reviews.queueBlob(digest("a"), T0, T0);
        reviews.queueBlob(digest("b"), T0.plusSeconds(1), T0);
        reviews.queueBlob(digest("later"), T0.plusSeconds(3600), T0);
        try (Connection first = db.jdbc.getDataSource().getConnection();
             Connection second = db.jdbc.getDataSource().getConnection();
             Connection third = db.jdbc.getDataSource().getConnection()) {
            for (Connection c : List.of(first, second, third)) {
                c.setAutoCommit(false);
            }
            GcReviews.Review a = on(first).claimDue(T0.plusSeconds(60)).orElseThrow();
            GcReviews.Review b = on(second).claimDue(T0.plusSeconds(60)).orElseThrow();

            assertThat(a.digest()).isEqualTo(digest("a"));
            assertThat(b.digest()).isEqualTo(digest("b"));
            assertThat(on(third).claimDue(T0.plusSeconds(60))).as("both due reviews are held").isEmpty();

            on(first).finish(a.id());
            first.commit();
            second.rollback(); // a worker that failed: its review is there for the next one
            assertThat(on(third).claimDue(T0.plusSeconds(60)).orElseThrow().id()).isEqualTo(b.id());
            third.rollback();
        }
        assertThat(queued()).containsExactlyInAnyOrder("BLOB " + digest("b"), "BLOB " + digest("later"));
    }

    private static GcReviews on(Connection connection) {
        return new GcReviews(new JdbcTemplate(new SingleConnectionDataSource(connection, true)));
    }

    @Test
    void aDeletedManifestQueuesItsBlobsItsChildrenAndItsReferrers() {
        long app = db.repository("app", T0);
        Digest child = db.image(app, "child", "config", "layer", T0);
        Digest index = db.index(app, "multi", List.of(child), List.of("linux/amd64"), T0);
        long indexId = db.manifests.manifestId(app, index).orElseThrow();
        long childId = db.manifests.manifestId(app, child).orElseThrow();

        reviews.queueBlobsOf(childId, T0, T0);
        reviews.queueManifestsKeptBy(indexId, T0, T0);

        assertThat(queued()).containsExactlyInAnyOrder("BLOB " + digest("config"), "BLOB " + digest("layer"), "MANIFEST " + child);
    }

    @Test
    void aTagThatMovesQueuesTheManifestItLeavesOnly() {
        long app = db.repository("app", T0);
        Digest old = db.image(app, "1.0", "config 1", "layer 1", T0);
        long oldId = db.manifests.manifestId(app, old).orElseThrow();

        reviews.queueTagTarget(app, Tag.of("1.0"), oldId, T0, T0);
        assertThat(queued()).as("pushed again onto the same manifest").isEmpty();

        reviews.queueTagTarget(app, Tag.of("1.0"), -1, T0, T0);
        reviews.queueTagTarget(app, Tag.of("nothing"), -1, T0, T0);
        assertThat(queued()).containsExactly("MANIFEST " + old);
    }
}
