package dev.berth.registry.metadata;

import dev.berth.oci.Digest;
import dev.berth.oci.Tag;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The rows a whole-repository delete reads and removes, in plain SQL. Call inside one
 * transaction: the repository's row goes last, and its foreign keys cascade to its tags,
 * manifests, manifest references, upload sessions, stats row and manifest reviews.
 */
@Component
public class RepositoryRemoval {

    private final JdbcTemplate jdbc;

    RepositoryRemoval(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The repository's tags, in byte order. */
    public List<Tag> tags(long repositoryId) {
        return jdbc.queryForList("SELECT name FROM tags WHERE repository_id = ? ORDER BY name", String.class, repositoryId)
                .stream().map(Tag::of).toList();
    }

    /** The blobs the repository links, in digest order (the order GC and uploads lock blob rows in, so no deadlock). */
    public List<Digest> linkedBlobs(long repositoryId) {
        return jdbc.queryForList("SELECT digest FROM blob_links WHERE repository_id = ? ORDER BY digest", String.class, repositoryId)
                .stream().map(Digest::of).toList();
    }

    /** The ids of the repository's upload sessions (their staged files are named after them). */
    public List<String> uploadSessions(long repositoryId) {
        return jdbc.queryForList("SELECT id FROM upload_sessions WHERE repository_id = ?", String.class, repositoryId);
    }

    /** Removes the repository's link to one blob. @return whether there was one */
    public boolean unlink(long repositoryId, Digest digest) {
        return jdbc.update("DELETE FROM blob_links WHERE repository_id = ? AND digest = ?", repositoryId, digest.toString()) > 0;
    }

    /** Removes the repository's row and, by cascade, everything that belongs to it. @return the manifests removed with it */
    public int delete(long repositoryId) {
        Integer manifests = jdbc.queryForObject("SELECT count(*) FROM manifests WHERE repository_id = ?", Integer.class, repositoryId);
        jdbc.update("DELETE FROM tags WHERE repository_id = ?", repositoryId);
        jdbc.update("DELETE FROM manifest_references WHERE manifest_id IN (SELECT id FROM manifests WHERE repository_id = ?)", repositoryId);
        jdbc.update("DELETE FROM manifests WHERE repository_id = ?", repositoryId);
        jdbc.update("DELETE FROM repositories WHERE id = ?", repositoryId);
        return manifests == null ? 0 : manifests;
    }
}
