package dev.berth.registry.metadata;

import dev.berth.oci.Digest;
import dev.berth.oci.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The GC review queue ({@code gc_reviews}, see V7__gc_reviews.sql), in plain SQL. The queueing
 * methods run inside the caller's transaction, next to the change that drops a reference, so a
 * rolled-back change queues nothing and a committed one never misses its review.
 */
@Component
public class GcReviews {

    /** What a review looks at. */
    public enum Kind { BLOB, MANIFEST }

    /** One queued review; {@code repositoryId} is 0 for a blob. */
    public record Review(long id, Kind kind, long repositoryId, Digest digest, Instant due) {
    }

    private final JdbcTemplate jdbc;

    GcReviews(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void queueBlob(Digest digest, Instant due, Instant now) {
        jdbc.update("INSERT INTO gc_reviews (kind, digest, due_at, queued_at) VALUES ('BLOB', ?, ?, ?)",
                digest.toString(), BlobRecords.timestamp(due), BlobRecords.timestamp(now));
    }

    public void queueManifest(long repositoryId, Digest digest, Instant due, Instant now) {
        jdbc.update("INSERT INTO gc_reviews (kind, repository_id, digest, due_at, queued_at) VALUES ('MANIFEST', ?, ?, ?, ?)",
                repositoryId, digest.toString(), BlobRecords.timestamp(due), BlobRecords.timestamp(now));
    }

    /** Queues the manifest the tag points at now, unless that is {@code keptManifestId} (the tag stays on it). */
    public void queueTagTarget(long repositoryId, Tag tag, long keptManifestId, Instant due, Instant now) {
        jdbc.update("""
                INSERT INTO gc_reviews (kind, repository_id, digest, due_at, queued_at)
                SELECT 'MANIFEST', t.repository_id, m.digest, ?, ? FROM tags t JOIN manifests m ON m.id = t.manifest_id
                WHERE t.repository_id = ? AND t.name = ? AND t.manifest_id <> ?""",
                BlobRecords.timestamp(due), BlobRecords.timestamp(now), repositoryId, tag.value(), keptManifestId);
    }

    /** Queues the config and layer blobs of a manifest about to be deleted (each digest once). */
    public void queueBlobsOf(long manifestId, Instant due, Instant now) {
        jdbc.update("""
                INSERT INTO gc_reviews (kind, digest, due_at, queued_at)
                SELECT DISTINCT 'BLOB', r.digest, CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE)
                FROM manifest_references r WHERE r.manifest_id = ? AND r.kind IN ('CONFIG', 'LAYER')""",
                BlobRecords.timestamp(due), BlobRecords.timestamp(now), manifestId);
    }

    /** Queues what a manifest about to be deleted keeps: its child manifests and its referrers, in its repository. */
    public void queueManifestsKeptBy(long manifestId, Instant due, Instant now) {
        jdbc.update("""
                INSERT INTO gc_reviews (kind, repository_id, digest, due_at, queued_at)
                SELECT DISTINCT 'MANIFEST', i.repository_id, r.digest, CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS TIMESTAMP WITH TIME ZONE)
                FROM manifest_references r JOIN manifests i ON i.id = r.manifest_id WHERE r.manifest_id = ? AND r.kind = 'CHILD'""",
                BlobRecords.timestamp(due), BlobRecords.timestamp(now), manifestId);
        jdbc.update("""
                INSERT INTO gc_reviews (kind, repository_id, digest, due_at, queued_at)
                SELECT 'MANIFEST', f.repository_id, f.digest, ?, ? FROM manifests m
                JOIN manifests f ON f.repository_id = m.repository_id AND f.subject_digest = m.digest WHERE m.id = ?""",
                BlobRecords.timestamp(due), BlobRecords.timestamp(now), manifestId);
    }

    /**
     * Takes a due review, the longest due first, and locks its row until the transaction ends;
     * rows other workers hold are skipped (FOR UPDATE SKIP LOCKED), so workers on several
     * servers never take the same review. The lock is taken row by row, by primary key: H2 locks
     * every row an ORDER BY ... LIMIT query reads, which would hand one worker the whole queue.
     */
    public Optional<Review> claimDue(Instant now) {
        List<Long> candidates = jdbc.queryForList("SELECT id FROM gc_reviews WHERE due_at <= ? ORDER BY due_at LIMIT 32", Long.class,
                BlobRecords.timestamp(now));
        for (long id : candidates) {
            List<Review> locked = jdbc.query("""
                    SELECT id, kind, repository_id, digest, due_at FROM gc_reviews WHERE id = ? AND due_at <= ? FOR UPDATE SKIP LOCKED""",
                    (rs, i) -> new Review(rs.getLong(1), Kind.valueOf(rs.getString(2)), rs.getLong(3), Digest.of(rs.getString(4)),
                            Timestamps.instant(rs, 5)), id, BlobRecords.timestamp(now));
            if (!locked.isEmpty()) {
                return Optional.of(locked.get(0));
            }
        }
        return Optional.empty();
    }

    public void finish(long reviewId) {
        jdbc.update("DELETE FROM gc_reviews WHERE id = ?", reviewId);
    }

    public void postpone(long reviewId, Instant due) {
        jdbc.update("UPDATE gc_reviews SET due_at = ? WHERE id = ?", BlobRecords.timestamp(due), reviewId);
    }

    /** How many reviews are queued, due or not. */
    public long depth() {
        Long n = jdbc.queryForObject("SELECT count(*) FROM gc_reviews", Long.class);
        return n == null ? 0 : n;
    }

    /** When the longest-waiting due review became due, if any is due. */
    public Optional<Instant> oldestDue(Instant now) {
        return jdbc.query("SELECT min(due_at) FROM gc_reviews WHERE due_at <= ?", (rs, i) -> Timestamps.instant(rs, 1),
                BlobRecords.timestamp(now)).stream().filter(t -> t != null).findFirst();
    }
}
