package dev.berth.registry.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retention's SQL on a migrated H2: tags newest first, the bytes only dropped manifests hold, the lease, the history. */
class RetentionRowsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

    private final MetadataFixture db = new MetadataFixture();
    private final RetentionRows rows = new RetentionRows(db.jdbc);

    @Test
    void tagsComeByRepositoryNewestPushFirst() {
        long app = db.repository("app", T0);
        db.image(app, "old", "config old", "layer old", T0);
        db.image(app, "new", "config new", "layer new", T0.plusSeconds(60));
        long base = db.repository("base", T0);
        db.image(base, "1", "config 1", "layer 1", T0.plusSeconds(30));

        assertThat(rows.tags()).extracting(t -> t.repository() + ":" + t.tag() + "@" + t.updatedAt())
                .containsExactly("app:new@" + T0.plusSeconds(60), "app:old@" + T0, "base:1@" + T0.plusSeconds(30));
    }

    @Test
    void theBytesFreedCountOnlyBlobsNoOtherManifestReferencesEachOnce() {
        long app = db.repository("app", T0);
        long other = db.repository("other", T0);
        // "shared layer" is in both of app's manifests (counted once) and "kept layer" also in other's.
        db.image(app, "a", "config a", "shared layer", T0);
        db.image(app, "b", "config b", "shared layer", T0);
        db.image(app, "c", "config c", "kept layer", T0);
        db.image(other, "x", "config x", "kept layer", T0);
        long a = manifestOf(app, "a");
        long b = manifestOf(app, "b");
        long c = manifestOf(app, "c");

        assertThat(rows.bytesOnlyReferencedBy(List.of(a, b)))
                .isEqualTo("config a".length() + "config b".length() + "shared layer".length());
        assertThat(rows.bytesOnlyReferencedBy(List.of(a))).as("the shared layer stays with b").isEqualTo("config a".length());
        assertThat(rows.bytesOnlyReferencedBy(List.of(c))).as("the layer other's manifest keeps").isEqualTo("config c".length());
        assertThat(rows.bytesOnlyReferencedBy(List.of())).isZero();
    }

    private long manifestOf(long repositoryId, String tag) {
        return db.jdbc.queryForObject("SELECT manifest_id FROM tags WHERE repository_id = ? AND name = ?", Long.class, repositoryId, tag);
    }

    @Test
    void theLeaseIsHeldByOneHolderUntilReleasedOrExpired() {
        assertThat(rows.tryLock("server-1", T0, T0.plusSeconds(3600))).isTrue();
        assertThat(rows.tryLock("server-2", T0.plusSeconds(10), T0.plusSeconds(3610))).as("held").isFalse();
        assertThat(rows.tryLock("server-1", T0.plusSeconds(10), T0.plusSeconds(3610))).as("not re-entrant").isFalse();
        rows.unlock("server-2"); // not its lease: changes nothing
        assertThat(rows.tryLock("server-2", T0.plusSeconds(20), T0.plusSeconds(3620))).isFalse();

        rows.unlock("server-1");
        assertThat(rows.tryLock("server-2", T0.plusSeconds(30), T0.plusSeconds(3630))).isTrue();
        assertThat(rows.tryLock("server-1", T0.plusSeconds(3631), T0.plusSeconds(7200))).as("server-2 died: its lease ran out")
                .isTrue();
    }

    @Test
    void runsAreRecordedNewestFirst() {
        long first = rows.runStarted(T0, true, "admin");
        rows.runFinished(first, T0.plusSeconds(1), 3, 1000);
        long second = rows.runStarted(T0.plusSeconds(5), false, "retention schedule");

        assertThat(rows.recentRuns(10)).containsExactly(
                new RetentionRows.RunRow(second, T0.plusSeconds(5), null, 0, 0, false, "retention schedule"),
                new RetentionRows.RunRow(first, T0, T0.plusSeconds(1), 3, 1000, true, "admin"));
        assertThat(rows.recentRuns(1)).hasSize(1);
    }

    @Test
    void rulesSetInTheWebUiAreStoredAndRemoved() {
        rows.insertRule("ci/**", 5, "v.*", "PT720H", "admin", T0);
        rows.insertRule("tmp/*", null, null, "PT1H", "admin", T0);
        List<RetentionRows.RuleRow> stored = rows.rules();
        assertThat(stored).extracting(r -> r.repositories() + " " + r.keepLast() + " " + r.keepTags() + " " + r.olderThan())
                .containsExactly("ci/** 5 v.* PT720H", "tmp/* null null PT1H");

        assertThat(rows.deleteRule(stored.get(0).id())).map(RetentionRows.RuleRow::repositories).contains("ci/**");
        assertThat(rows.deleteRule(stored.get(0).id())).isEmpty();
        assertThat(rows.rules()).hasSize(1);
    }

}
