package dev.berth.registry.metadata;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;

/**
 * The rows a manifest push writes, and the manifests pulls read, in plain SQL (see
 * {@link BlobRecords} for why; the content column is also a BLOB on H2 and a bytea on PostgreSQL,
 * which one JPA mapping cannot both validate). Call the
 * writing methods inside {@link Transactions#retryingOnConflict}: an insert that loses a
 * race violates a unique key, and the retried transaction then finds the winner's row.
 */
@Component
public class ManifestRecords {

    /** One descriptor of a manifest, as {@code manifest_references} holds it. */
    public record Reference(DescriptorKind kind, Digest digest, MediaType mediaType, long size) {
    }

    private final JdbcTemplate jdbc;
    private final QuotaRows quotas;

    ManifestRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.quotas = new QuotaRows(jdbc);
    }

    /**
     * One page of a repository's tag names, in byte order, after {@code last}. The ORDER BY starts
     * with the repository id although it is fixed: H2 then reads the unique index (repository_id,
     * name) in order and stops after {@code limit} rows, instead of sorting every match.
     */
    public List<String> tagPage(long repositoryId, String last, int limit) {
        return jdbc.queryForList("SELECT name FROM tags WHERE repository_id = ? AND name > ? ORDER BY repository_id, name LIMIT ?",
                String.class, repositoryId, last, limit);
    }

    public Optional<Long> manifestId(long repositoryId, Digest digest) {
        return jdbc.queryForList("SELECT id FROM manifests WHERE repository_id = ? AND digest = ?", Long.class, repositoryId,
                        digest.toString())
                .stream().findFirst();
    }

    /**
     * Inserts a manifest with its descriptors (batched); returns its id. Its bytes count in its
     * namespace's usage from here ({@link QuotaRows#referenced}), in the caller's transaction.
     */
    public long insert(long repositoryId, Digest digest, MediaType mediaType, String artifactType, Digest subject,
                       byte[] content, Instant now, List<Reference> references) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement ps = connection.prepareStatement("""
                    INSERT INTO manifests (repository_id, digest, media_type, artifact_type, subject_digest, size_bytes, content, pushed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", new String[] {"id"});
            ps.setLong(1, repositoryId);
            ps.setString(2, digest.toString());
            ps.setString(3, mediaType.value());
            ps.setString(4, artifactType);
            ps.setString(5, subject == null ? null : subject.toString());
            ps.setLong(6, content.length);
            ps.setBytes(7, content);
            ps.setObject(8, BlobRecords.timestamp(now));
            return ps;
        }, key);
        long id = key.getKeyAs(Long.class);
        if (!references.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO manifest_references (manifest_id, ordinal, kind, digest, media_type, size_bytes)
                    VALUES (?, ?, ?, ?, ?, ?)""", new BatchPreparedStatementSetter() {
                @Override
                public void setValues(PreparedStatement ps, int i) throws SQLException {
                    Reference r = references.get(i);
                    ps.setLong(1, id);
                    ps.setInt(2, i);
                    ps.setString(3, r.kind().name());
                    ps.setString(4, r.digest().toString());
                    ps.setString(5, r.mediaType().value());
                    ps.setLong(6, r.size());
                }

                @Override
                public int getBatchSize() {
                    return references.size();
                }
            });
        }
        quotas.referenced(repositoryId, digest, content.length);
        return id;
    }

    /** The manifest a tag of the named repository points at. */
    public Optional<StoredManifest> byTag(RepositoryName repository, Tag tag) {
        return jdbc.query(STORED + """
                JOIN tags t ON t.manifest_id = m.id JOIN repositories r ON r.id = t.repository_id
                WHERE r.name = ? AND t.name = ?""", ManifestRecords::stored, repository.value(), tag.value()).stream().findFirst();
    }

    /** The manifest of the named repository with this digest. */
    public Optional<StoredManifest> byDigest(RepositoryName repository, Digest digest) {
        return jdbc.query(STORED + """
                JOIN repositories r ON r.id = m.repository_id
                WHERE r.name = ? AND m.digest = ?""", ManifestRecords::stored, repository.value(), digest.toString()).stream().findFirst();
    }

    /** Manifests of the named repository whose {@code subject} is {@code digest}, in digest order. */
    public List<StoredManifest> referrers(RepositoryName repository, Digest subject) {
        return jdbc.query(STORED + """
                JOIN repositories r ON r.id = m.repository_id
                WHERE r.name = ? AND m.subject_digest = ? ORDER BY m.digest""", ManifestRecords::stored, repository.value(),
                subject.toString());
    }

    private static final String STORED =
            "SELECT m.id, m.digest, m.media_type, m.artifact_type, m.size_bytes, m.content, m.pushed_at FROM manifests m\n";

    private static StoredManifest stored(ResultSet rs, int row) throws SQLException {
        return new StoredManifest(rs.getLong(1), Digest.of(rs.getString(2)), new MediaType(rs.getString(3)), rs.getString(4),
                rs.getLong(5), rs.getBytes(6), rs.getObject(7, OffsetDateTime.class).toInstant());
    }

    /** Points the tag at the manifest, creating the tag if it is new. @return whether the tag is new */
    public boolean setTag(long repositoryId, Tag tag, long manifestId, Instant now) {
        int updated = jdbc.update("UPDATE tags SET manifest_id = ?, updated_at = ? WHERE repository_id = ? AND name = ?",
                manifestId, BlobRecords.timestamp(now), repositoryId, tag.value());
        if (updated == 0) {
            jdbc.update("INSERT INTO tags (repository_id, name, manifest_id, updated_at) VALUES (?, ?, ?, ?)",
                    repositoryId, tag.value(), manifestId, BlobRecords.timestamp(now));
        }
        return updated == 0;
    }

    /** Deletes one tag of the repository (the manifest stays). @return how many tags were deleted (0 or 1) */
    public int deleteTag(long repositoryId, Tag tag) {
        return jdbc.update("DELETE FROM tags WHERE repository_id = ? AND name = ?", repositoryId, tag.value());
    }

    /**
     * Deletes a manifest with its descriptors and every tag pointing at it; its bytes leave its
     * namespace's usage unless another repository of the namespace references the digest.
     *
     * @return how many tags were deleted with it, or empty when the repository holds no such manifest
     */
    public OptionalInt deleteManifest(long repositoryId, Digest digest) {
        Optional<Long> id = manifestId(repositoryId, digest);
        if (id.isEmpty()) {
            return OptionalInt.empty();
        }
        int tags = jdbc.update("DELETE FROM tags WHERE manifest_id = ?", id.get());
        jdbc.update("DELETE FROM manifest_references WHERE manifest_id = ?", id.get());
        long size = jdbc.queryForObject("SELECT size_bytes FROM manifests WHERE id = ?", Long.class, id.get());
        jdbc.update("DELETE FROM manifests WHERE id = ?", id.get());
        quotas.unreferenced(repositoryId, digest, size);
        return OptionalInt.of(tags);
    }

    /**
     * The first of a stored manifest's config and layers, in manifest order, that the repository
     * does not link, leaving out layers whose media type is {@code foreignType} or contains
     * {@code foreignInfix} (clients fetch those from elsewhere). One anti-join over the rows
     * {@link #insert} wrote, an index lookup in {@code blob_links} each: time grows with the number
     * of layers only. An {@code IN} list of the digests instead let H2 compare every link of the
     * repository with the whole list (8 CPU-seconds for 36,000 layers among 36,000 links).
     */
    public Optional<Digest> firstUnlinkedBlob(long repositoryId, long manifestId, MediaType foreignType, String foreignInfix) {
        return jdbc.queryForList("""
                SELECT r.digest FROM manifest_references r
                WHERE r.manifest_id = ? AND r.kind IN ('CONFIG', 'LAYER') AND r.media_type <> ? AND r.media_type NOT LIKE ?
                  AND NOT EXISTS (SELECT 1 FROM blob_links l WHERE l.repository_id = ? AND l.digest = r.digest)
                ORDER BY r.ordinal LIMIT 1""", String.class,
                manifestId, foreignType.value(), "%" + foreignInfix + "%", repositoryId).stream().findFirst().map(Digest::of);
    }

    /** The first child of a stored index, in index order, that is not a manifest of the repository (as {@link #firstUnlinkedBlob}). */
    public Optional<Digest> firstMissingChild(long repositoryId, long manifestId) {
        return jdbc.queryForList("""
                SELECT r.digest FROM manifest_references r
                WHERE r.manifest_id = ? AND r.kind = 'CHILD'
                  AND NOT EXISTS (SELECT 1 FROM manifests m WHERE m.repository_id = ? AND m.digest = r.digest)
                ORDER BY r.ordinal LIMIT 1""", String.class, manifestId, repositoryId).stream().findFirst().map(Digest::of);
    }

    /**
     * The size and media type that a manifest of the repository gives for a blob (as config or layer),
     * whether or not the blob is stored: what a pull-through cache needs to fetch it.
     */
    public Optional<Reference> blobReference(long repositoryId, Digest blob) {
        return jdbc.query("""
                SELECT r.kind, r.media_type, r.size_bytes FROM manifest_references r
                JOIN manifests m ON m.id = r.manifest_id
                WHERE m.repository_id = ? AND r.digest = ? AND r.kind IN ('CONFIG', 'LAYER') LIMIT 1""",
                (rs, i) -> new Reference(DescriptorKind.valueOf(rs.getString(1)), blob, MediaType.parse(rs.getString(2)), rs.getLong(3)),
                repositoryId, blob.toString()).stream().findFirst();
    }

    /** The children of a stored index that are manifests of its repository (each digest once). */
    public List<Digest> storedChildren(long manifestId) {
        return jdbc.queryForList("""
                SELECT DISTINCT r.digest FROM manifest_references r
                JOIN manifests i ON i.id = r.manifest_id
                JOIN manifests m ON m.repository_id = i.repository_id AND m.digest = r.digest
                WHERE r.manifest_id = ? AND r.kind = 'CHILD'""", String.class, manifestId).stream().map(Digest::of).toList();
    }
}
