package dev.berth.registry.metadata;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What {@code berth fsck} reads of the metadata to hold it against the blob store, in plain SQL.
 * Blob rows are read one fan-out directory at a time ({@code digest LIKE 'sha256:ab%'}), so that
 * memory holds a 256th of them; references are found broken by anti-joins, in one query each.
 * Digests stay text here: a malformed one in a row is a finding, not an exception.
 */
@Component
public class FsckRows {

    /** A manifest reference that is broken: {@code target} is missing from what it must be in. */
    public record BrokenReference(String repository, String manifest, String kind, String target, boolean blobRowExists) {
    }

    /** A tag, and the manifest it points at (stored in another repository). */
    public record StrayTag(String repository, String tag, String manifest) {
    }

    /** A manifest's stored bytes. */
    public record ManifestContent(String repository, String digest, byte[] content) {
    }

    private final JdbcTemplate jdbc;

    FsckRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public long blobRowCount() {
        return count("SELECT COUNT(*) FROM blobs");
    }

    public long manifestCount() {
        return count("SELECT COUNT(*) FROM manifests");
    }

    public long tagCount() {
        return count("SELECT COUNT(*) FROM tags");
    }

    /** The blob rows whose digest starts with {@code prefix} ({@code sha256:ab}): digest → size. */
    public Map<String, Long> blobsStartingWith(String prefix) {
        Map<String, Long> rows = new HashMap<>();
        jdbc.query("SELECT digest, size_bytes FROM blobs WHERE digest LIKE ?",
                rs -> {
                    rows.put(rs.getString(1), rs.getLong(2));
                }, prefix + "%");
        return rows;
    }

    /** The digests starting with {@code prefix} that a manifest names as its config or a layer. */
    public Set<String> referencedStartingWith(String prefix) {
        return new HashSet<>(jdbc.queryForList(
                "SELECT DISTINCT digest FROM manifest_references WHERE kind IN ('CONFIG', 'LAYER') AND digest LIKE ?",
                String.class, prefix + "%"));
    }

    public boolean blobRowExists(String digest) {
        return !jdbc.queryForList("SELECT 1 FROM blobs WHERE digest = ?", Integer.class, digest).isEmpty();
    }

    /** How many manifests name the blob as their config or a layer. */
    public long manifestsReferencing(String digest) {
        return count("SELECT COUNT(DISTINCT manifest_id) FROM manifest_references WHERE kind IN ('CONFIG', 'LAYER') AND digest = ?",
                digest);
    }

    /**
     * Configs and layers that their manifest's repository does not link (so a pull of them fails),
     * leaving out layers of {@code foreignType} or with {@code foreignInfix} in their type (never pushed).
     */
    public void unlinkedBlobs(String foreignType, String foreignInfix, Consumer<BrokenReference> each) {
        jdbc.query("""
                SELECT rp.name, m.digest, r.kind, r.digest,
                       CASE WHEN EXISTS (SELECT 1 FROM blobs b WHERE b.digest = r.digest) THEN 1 ELSE 0 END
                FROM manifest_references r
                JOIN manifests m ON m.id = r.manifest_id
                JOIN repositories rp ON rp.id = m.repository_id
                WHERE r.kind IN ('CONFIG', 'LAYER') AND r.media_type <> ? AND r.media_type NOT LIKE ?
                  AND NOT EXISTS (SELECT 1 FROM blob_links l WHERE l.repository_id = m.repository_id AND l.digest = r.digest)
                ORDER BY rp.name, m.digest, r.ordinal""",
                rs -> {
                    each.accept(new BrokenReference(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5) == 1));
                }, foreignType, "%" + foreignInfix + "%");
    }

    /** Children of an index that are not manifests of its repository. */
    public void missingChildren(Consumer<BrokenReference> each) {
        jdbc.query("""
                SELECT rp.name, m.digest, r.digest FROM manifest_references r
                JOIN manifests m ON m.id = r.manifest_id
                JOIN repositories rp ON rp.id = m.repository_id
                WHERE r.kind = 'CHILD'
                  AND NOT EXISTS (SELECT 1 FROM manifests c WHERE c.repository_id = m.repository_id AND c.digest = r.digest)
                ORDER BY rp.name, m.digest, r.ordinal""",
                rs -> {
                    each.accept(new BrokenReference(rs.getString(1), rs.getString(2), "CHILD", rs.getString(3), false));
                });
    }

    /** Manifests whose {@code subject} is not a manifest of their repository (which OCI allows). */
    public void missingSubjects(Consumer<BrokenReference> each) {
        jdbc.query("""
                SELECT rp.name, m.digest, m.subject_digest FROM manifests m
                JOIN repositories rp ON rp.id = m.repository_id
                WHERE m.subject_digest IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM manifests s WHERE s.repository_id = m.repository_id AND s.digest = m.subject_digest)
                ORDER BY rp.name, m.digest""",
                rs -> {
                    each.accept(new BrokenReference(rs.getString(1), rs.getString(2), "SUBJECT", rs.getString(3), false));
                });
    }

    /** Tags that point at a manifest of another repository. */
    public void tagsOutsideTheirRepository(Consumer<StrayTag> each) {
        jdbc.query("""
                SELECT rp.name, t.name, m.digest FROM tags t
                JOIN manifests m ON m.id = t.manifest_id
                JOIN repositories rp ON rp.id = t.repository_id
                WHERE m.repository_id <> t.repository_id
                ORDER BY rp.name, t.name""",
                rs -> {
                    each.accept(new StrayTag(rs.getString(1), rs.getString(2), rs.getString(3)));
                });
    }

    /** Up to {@code limit} manifest ids above {@code after}, in order: manifests are read one at a time (each up to the size limit). */
    public List<Long> manifestIdsAfter(long after, int limit) {
        return jdbc.queryForList("SELECT id FROM manifests WHERE id > ? ORDER BY id LIMIT ?", Long.class, after, limit);
    }

    public Optional<ManifestContent> manifestContent(long id) {
        return jdbc.query("""
                SELECT rp.name, m.digest, m.content FROM manifests m JOIN repositories rp ON rp.id = m.repository_id
                WHERE m.id = ?""",
                (rs, i) -> new ManifestContent(rs.getString(1), rs.getString(2), rs.getBytes(3)), id).stream().findFirst();
    }

    public List<String> uploadSessionIds() {
        return jdbc.queryForList("SELECT id FROM upload_sessions ORDER BY id", String.class);
    }

    public boolean uploadSessionExists(String id) {
        return !jdbc.queryForList("SELECT 1 FROM upload_sessions WHERE id = ?", Integer.class, id).isEmpty();
    }

    public void deleteUploadSession(String id) {
        jdbc.update("DELETE FROM upload_sessions WHERE id = ?", id);
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }
}
