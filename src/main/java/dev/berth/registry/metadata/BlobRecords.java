package dev.berth.registry.metadata;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The rows a blob push writes, in plain SQL: on the push path Hibernate's entity lifecycle (a
 * select before each insert of an assigned id, dirty checks, flushes) cost more than the SQL.
 * "Insert where not exists" relies on the unique keys for races: the loser violates one and its
 * transaction is run again ({@link Transactions#retryingOnConflict}).
 */
@Component
public class BlobRecords {

    private final JdbcTemplate jdbc;

    BlobRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The repository's id, if it exists. */
    public Optional<Long> repositoryId(RepositoryName name) {
        List<Long> ids = jdbc.queryForList("SELECT id FROM repositories WHERE name = ?", Long.class, name.value());
        return ids.stream().findFirst();
    }

    /** Inserts the repository unless it exists; call inside a retried transaction. @return whether it was inserted */
    public boolean insertRepository(RepositoryName name, Instant now) {
        return 0 < jdbc.update("INSERT INTO repositories (name, created_at) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM repositories WHERE name = ?)",
                name.value(), timestamp(now), name.value());
    }

    /**
     * Records a committed blob and links it to the repository, each only once; call inside a retried transaction.
     *
     * @return whether the link is new
     */
    public boolean recordAndLink(long repositoryId, Digest blob, long size, Instant now) {
        String digest = blob.toString();
        jdbc.update("INSERT INTO blobs (digest, size_bytes, created_at) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM blobs WHERE digest = ?)",
                digest, size, timestamp(now), digest);
        boolean linked = 0 < jdbc.update("""
                INSERT INTO blob_links (repository_id, digest, linked_at) SELECT ?, ?, ?
                WHERE NOT EXISTS (SELECT 1 FROM blob_links WHERE repository_id = ? AND digest = ?)""",
                repositoryId, digest, timestamp(now), repositoryId, digest);
        if (!linked) {
            // Pushed again: GC keeps a link nothing references for berth.gc.review-delay after this.
            jdbc.update("UPDATE blob_links SET linked_at = ? WHERE repository_id = ? AND digest = ? AND linked_at < ?",
                    timestamp(now), repositoryId, digest, timestamp(now));
        }
        return linked;
    }

    /**
     * Makes sure the blob has a row and locks it until the transaction ends (uploads and GC of one
     * digest then run one after the other): while it is held, GC cannot delete the blob's file,
     * and a file GC deleted before is seen to be missing. A row GC deleted while this waited for
     * its lock is inserted again.
     */
    public void holdBlob(Digest blob, long size, Instant now) {
        String digest = blob.toString();
        for (int attempt = 0; attempt < 5; attempt++) {
            jdbc.update("INSERT INTO blobs (digest, size_bytes, created_at) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM blobs WHERE digest = ?)",
                    digest, size, timestamp(now), digest);
            if (jdbc.update("UPDATE blobs SET size_bytes = size_bytes WHERE digest = ?", digest) > 0) {
                return;
            }
        }
        throw new org.springframework.dao.CannotAcquireLockException("the row of blob " + digest + " keeps being deleted");
    }

    /** Locks the blob's row if it has one (as {@link #holdBlob}, without inserting). @return its size */
    public Optional<Long> lockBlob(Digest blob) {
        if (jdbc.update("UPDATE blobs SET size_bytes = size_bytes WHERE digest = ?", blob.toString()) == 0) {
            return Optional.empty();
        }
        return jdbc.queryForList("SELECT size_bytes FROM blobs WHERE digest = ?", Long.class, blob.toString()).stream().findFirst();
    }

    /** Whether the repository links the blob (committed, or written by this transaction). */
    public boolean isLinked(long repositoryId, Digest blob) {
        return jdbc.queryForObject("SELECT count(*) FROM blob_links WHERE repository_id = ? AND digest = ?", Integer.class,
                repositoryId, blob.toString()) > 0;
    }

    /**
     * Links a blob whose row this transaction holds ({@link #holdBlob}, {@link #lockBlob}) to the
     * repository, once (a link that is there gets its time renewed, as in {@link #recordAndLink}).
     * No insert of the blob row here: after an insert and an update of a row, H2 2.4 finds the
     * row missing in an INSERT ... WHERE NOT EXISTS of the same transaction, and the insert fails.
     *
     * @return whether the link is new
     */
    public boolean linkHeld(long repositoryId, Digest blob, Instant now) {
        String digest = blob.toString();
        boolean linked = 0 < jdbc.update("""
                INSERT INTO blob_links (repository_id, digest, linked_at) SELECT ?, ?, ?
                WHERE NOT EXISTS (SELECT 1 FROM blob_links WHERE repository_id = ? AND digest = ?)""",
                repositoryId, digest, timestamp(now), repositoryId, digest);
        if (!linked) {
            jdbc.update("UPDATE blob_links SET linked_at = ? WHERE repository_id = ? AND digest = ? AND linked_at < ?",
                    timestamp(now), repositoryId, digest, timestamp(now));
        }
        return linked;
    }

    /** Starts an upload session (one statement, committed on its own). */
    public void insertSession(String id, long repositoryId, Instant now) {
        jdbc.update("INSERT INTO upload_sessions (id, repository_id, received, started_at, updated_at) VALUES (?, ?, 0, ?, ?)",
                id, repositoryId, timestamp(now), timestamp(now));
    }

    /** The repository of an upload session, if the session exists and belongs to the named repository. */
    public Optional<Long> sessionRepositoryId(String id, RepositoryName repository) {
        List<Long> ids = jdbc.queryForList("""
                SELECT s.repository_id FROM upload_sessions s JOIN repositories r ON r.id = s.repository_id
                WHERE s.id = ? AND r.name = ?""", Long.class, id, repository.value());
        return ids.stream().findFirst();
    }

    /** Records an upload's size after a chunk, and that it is still alive. */
    public void recordProgress(String id, long size, Instant now) {
        jdbc.update("UPDATE upload_sessions SET received = ?, updated_at = ? WHERE id = ?", size, timestamp(now), id);
    }

    public void deleteSession(String id) {
        jdbc.update("DELETE FROM upload_sessions WHERE id = ?", id);
    }

    static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
