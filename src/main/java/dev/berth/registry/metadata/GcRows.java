package dev.berth.registry.metadata;

import dev.berth.oci.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What a GC review checks and deletes, in plain SQL, inside the review's transaction. Each check
 * runs after the lock that makes it hold: a blob's row ({@link #lockBlob}) for its links and
 * file, a repository's stats row ({@link StatsRows#lock}, which manifest pushes and deletes take
 * first) for its manifests and for the manifest references that keep a link.
 */
@Component
public class GcRows {

    /** A repository's link to a blob and when it was made or last pushed again. */
    public record Link(long repositoryId, Instant linkedAt) {
    }

    /** A manifest under review and what may keep it. */
    public record ManifestState(long id, Instant pushedAt, boolean tagged, boolean childOfIndex, boolean subjectStored) {
    }

    private final JdbcTemplate jdbc;

    GcRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks the blob's row (FOR UPDATE: uploads and mounts of the digest lock it too, and wait)
     * and returns its size, or empty when the blob has no row.
     */
    public Optional<Long> lockBlob(Digest digest) {
        return jdbc.queryForList("SELECT size_bytes FROM blobs WHERE digest = ? FOR UPDATE", Long.class, digest.toString())
                .stream().findFirst();
    }

    /** The blob's links, in repository order. */
    public List<Link> links(Digest digest) {
        return jdbc.query("SELECT repository_id, linked_at FROM blob_links WHERE digest = ? ORDER BY repository_id",
                (rs, i) -> new Link(rs.getLong(1), Timestamps.instant(rs, 2)), digest.toString());
    }

    /** Whether a manifest of the repository has the blob as its config or a layer. */
    public boolean referencedIn(long repositoryId, Digest digest) {
        return !jdbc.queryForList("""
                SELECT 1 FROM manifest_references r JOIN manifests m ON m.id = r.manifest_id
                WHERE r.digest = ? AND r.kind IN ('CONFIG', 'LAYER') AND m.repository_id = ? LIMIT 1""",
                Integer.class, digest.toString(), repositoryId).isEmpty();
    }

    /** Whether any manifest has the blob as its config or a layer. */
    public boolean referencedAnywhere(Digest digest) {
        return !jdbc.queryForList("SELECT 1 FROM manifest_references WHERE digest = ? AND kind IN ('CONFIG', 'LAYER') LIMIT 1",
                Integer.class, digest.toString()).isEmpty();
    }

    public int deleteLink(long repositoryId, Digest digest) {
        return jdbc.update("DELETE FROM blob_links WHERE repository_id = ? AND digest = ?", repositoryId, digest.toString());
    }

    /** Deletes the blob's row and the rows that belong to it (the layer browser's listing). */
    public void deleteBlob(Digest digest) {
        String d = digest.toString();
        jdbc.update("DELETE FROM layer_files WHERE layer_digest = ?", d);
        jdbc.update("DELETE FROM layer_file_indexes WHERE layer_digest = ?", d);
        jdbc.update("DELETE FROM blobs WHERE digest = ?", d);
    }

    /** The manifest of the repository with this digest and what keeps it, if it is stored. */
    public Optional<ManifestState> manifest(long repositoryId, Digest digest) {
        return jdbc.query("""
                SELECT m.id, m.pushed_at,
                  EXISTS (SELECT 1 FROM tags t WHERE t.manifest_id = m.id),
                  EXISTS (SELECT 1 FROM manifest_references r JOIN manifests i ON i.id = r.manifest_id
                          WHERE r.digest = m.digest AND r.kind = 'CHILD' AND i.repository_id = m.repository_id),
                  EXISTS (SELECT 1 FROM manifests s WHERE s.repository_id = m.repository_id AND s.digest = m.subject_digest)
                FROM manifests m WHERE m.repository_id = ? AND m.digest = ?""",
                (rs, i) -> new ManifestState(rs.getLong(1), Timestamps.instant(rs, 2), rs.getBoolean(3), rs.getBoolean(4),
                        rs.getBoolean(5)), repositoryId, digest.toString()).stream().findFirst();
    }
}
