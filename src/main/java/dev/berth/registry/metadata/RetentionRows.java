package dev.berth.registry.metadata;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/** What retention reads and writes: every tag with its push time, the bytes a removal frees, the rules, runs and lease. */
@Component
public class RetentionRows {

    /** A tag, with the time it was last pushed or moved ({@code tags.updated_at}). */
    public record TagRow(long repositoryId, String repository, String tag, long manifestId, String digest, Instant updatedAt) {
    }

    /** A rule set in the web UI; {@code olderThan} is an ISO-8601 duration. */
    public record RuleRow(long id, String repositories, Integer keepLast, String keepTags, String olderThan,
                          String createdBy, Instant createdAt) {
    }

    /** One run: {@code finishedAt} null while it runs (or when its server died). */
    public record RunRow(long id, Instant startedAt, Instant finishedAt, int tagsRemoved, long bytesFreed, boolean dryRun,
                         String startedBy) {
    }

    private final JdbcTemplate jdbc;

    RetentionRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every tag of every repository, by repository, newest push first (ties by name, so the order is stable). */
    public List<TagRow> tags() {
        return jdbc.query("""
                SELECT t.repository_id, r.name, t.name, t.manifest_id, m.digest, t.updated_at
                FROM tags t JOIN repositories r ON r.id = t.repository_id JOIN manifests m ON m.id = t.manifest_id
                ORDER BY r.name, t.updated_at DESC, t.name""",
                (rs, i) -> new TagRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                        Timestamps.instant(rs, 6)));
    }

    /**
     * The bytes of the blobs (configs and layers) that the manifests {@code dropped} reference and
     * that no other manifest of any repository references, each blob counted once.
     */
    public long bytesOnlyReferencedBy(Collection<Long> dropped) {
        if (dropped.isEmpty()) {
            return 0;
        }
        // A temporary list in SQL would need a table; the ids are few (one run's manifests), so they go in chunks.
        List<Long> ids = new ArrayList<>(dropped);
        java.util.Set<String> digests = new java.util.HashSet<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            String in = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            digests.addAll(jdbc.queryForList("SELECT DISTINCT digest FROM manifest_references WHERE kind IN ('CONFIG', 'LAYER')"
                    + " AND manifest_id IN (" + in + ")", String.class, chunk.toArray()));
        }
        java.util.Set<Long> droppedSet = new java.util.HashSet<>(dropped);
        long bytes = 0;
        for (String digest : digests) {
            List<Long> holders = jdbc.queryForList("SELECT DISTINCT manifest_id FROM manifest_references WHERE digest = ?"
                    + " AND kind IN ('CONFIG', 'LAYER')", Long.class, digest);
            if (droppedSet.containsAll(holders)) {
                bytes += jdbc.queryForList("SELECT size_bytes FROM blobs WHERE digest = ?", Long.class, digest).stream()
                        .mapToLong(Long::longValue).sum();
            }
        }
        return bytes;
    }

    /** Takes the lease until {@code until} if nobody holds it now. @return whether this holder has it */
    public boolean tryLock(String holder, Instant now, Instant until) {
        return jdbc.update("UPDATE retention_lock SET holder = ?, held_until = ? WHERE name = 'retention'"
                + " AND (held_until IS NULL OR held_until < ?)", holder, BlobRecords.timestamp(until), BlobRecords.timestamp(now)) == 1;
    }

    /** Extends this holder's lease to {@code until}. @return false when another holder took it (this one's had run out) */
    public boolean renewLock(String holder, Instant until) {
        return jdbc.update("UPDATE retention_lock SET held_until = ? WHERE name = 'retention' AND holder = ?",
                BlobRecords.timestamp(until), holder) == 1;
    }

    public void unlock(String holder) {
        jdbc.update("UPDATE retention_lock SET holder = NULL, held_until = NULL WHERE name = 'retention' AND holder = ?", holder);
    }

    public long runStarted(Instant now, boolean dryRun, String startedBy) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement insert = con.prepareStatement("INSERT INTO retention_runs"
                    + " (started_at, tags_removed, bytes_freed, dry_run, started_by) VALUES (?, 0, 0, ?, ?)", new String[] {"id"});
            insert.setObject(1, BlobRecords.timestamp(now));
            insert.setBoolean(2, dryRun);
            insert.setString(3, startedBy);
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    public void runFinished(long id, Instant now, int tagsRemoved, long bytesFreed) {
        jdbc.update("UPDATE retention_runs SET finished_at = ?, tags_removed = ?, bytes_freed = ? WHERE id = ?",
                BlobRecords.timestamp(now), tagsRemoved, bytesFreed, id);
    }

    /** The latest runs, newest first. */
    public List<RunRow> recentRuns(int limit) {
        return jdbc.query("SELECT id, started_at, finished_at, tags_removed, bytes_freed, dry_run, started_by FROM retention_runs"
                + " ORDER BY id DESC FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY",
                (rs, i) -> new RunRow(rs.getLong(1), Timestamps.instant(rs, 2),
                        Timestamps.instant(rs, 3), rs.getInt(4), rs.getLong(5),
                        rs.getBoolean(6), rs.getString(7)));
    }

    public List<RuleRow> rules() {
        return jdbc.query("SELECT id, repositories, keep_last, keep_tags, older_than, created_by, created_at FROM retention_rules"
                + " ORDER BY id", (rs, i) -> new RuleRow(rs.getLong(1), rs.getString(2), (Integer) rs.getObject(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), Timestamps.instant(rs, 7)));
    }

    public void insertRule(String repositories, Integer keepLast, String keepTags, String olderThan, String createdBy, Instant now) {
        jdbc.update("INSERT INTO retention_rules (repositories, keep_last, keep_tags, older_than, created_by, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)", repositories, keepLast, keepTags, olderThan, createdBy, BlobRecords.timestamp(now));
    }

    /** @return the rule that was deleted, if there was one */
    public Optional<RuleRow> deleteRule(long id) {
        Optional<RuleRow> found = rules().stream().filter(r -> r.id() == id).findFirst();
        found.ifPresent(row -> jdbc.update("DELETE FROM retention_rules WHERE id = ?", id));
        return found;
    }
}
