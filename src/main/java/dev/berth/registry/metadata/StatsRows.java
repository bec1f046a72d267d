package dev.berth.registry.metadata;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps each repository's row of {@code repository_stats} right (see V3__repository_stats.sql for
 * the columns). Every method runs inside the caller's transaction, next to the change it
 * accounts for, so a rolled-back push leaves no trace here either. Counters move by deltas
 * ({@code x = x + :d}), which stay right when pushes into one repository run at once: each
 * update waits for the row lock and then adds to the committed value.
 */
@Component
public class StatsRows {

    /** A repository's row, as its page shows it: exclusive bytes are those no other repository links. */
    public record Summary(long id, RepositoryName name, long tagCount, long manifestCount, Instant lastPushed,
                          long exclusiveBytes, long sharedBytes) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final QuotaRows quotas;

    StatsRows(JdbcTemplate jdbc) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
        this.quotas = new QuotaRows(jdbc);
    }

    /** The repository's row of {@code repository_stats}: no counting at request time. */
    public Optional<Summary> summary(RepositoryName name) {
        List<Summary> found = jdbc.query("""
                select s.repository_id, s.name, s.tag_count, s.manifest_count, s.last_pushed_at, s.size_bytes - s.shared_bytes, s.shared_bytes
                from repository_stats s where s.name = :name""", new MapSqlParameterSource("name", name.value()),
                (rs, i) -> new Summary(rs.getLong(1), RepositoryName.of(rs.getString(2)), rs.getLong(3), rs.getLong(4),
                        Timestamps.instant(rs, 5), rs.getLong(6), rs.getLong(7)));
        return found.stream().findFirst();
    }

    /**
     * Takes the repository's row lock first thing in a manifest push or delete, so that those
     * run one after the other per repository: a delete's count of the tags it removes can then
     * not miss a tag that a concurrent push points at the manifest being deleted (whose removal
     * by cascade nobody would count). A whole-repository delete takes it too, so a push that holds
     * it sees the repository standing until it commits.
     *
     * @return whether the repository is still there (a delete that committed first removed the row)
     */
    public boolean lock(long repositoryId) {
        return jdbc.update("update repository_stats set tag_count = tag_count where repository_id = :id",
                new MapSqlParameterSource("id", repositoryId)) > 0;
    }

    /** As {@link #lock}, for pushes: {@link RepositoryGoneException} when the repository was deleted meanwhile. */
    public void lockStanding(long repositoryId) {
        if (!lock(repositoryId)) {
            throw new RepositoryGoneException(repositoryId);
        }
    }

    /** A new repository: its row, all zero. */
    public void created(long repositoryId, RepositoryName name) {
        jdbc.update("insert into repository_stats (repository_id, name) values (:id, :name)",
                new MapSqlParameterSource("id", repositoryId).addValue("name", name.value()));
    }

    /**
     * A push at {@code at} stored {@code manifests} new manifests and set {@code tagsSet} tags,
     * {@code tagsCreated} of which are new. A push that stored nothing and set no tag (the same
     * manifest again, by digest) changes nothing.
     */
    public void pushed(long repositoryId, int manifests, int tagsSet, int tagsCreated, Instant at) {
        if (manifests == 0 && tagsSet == 0) {
            return;
        }
        jdbc.update("""
                update repository_stats set manifest_count = manifest_count + :manifests, tag_count = tag_count + :tags,
                  last_pushed_at = case when last_pushed_at is null or last_pushed_at < :at then :at else last_pushed_at end
                where repository_id = :id""",
                new MapSqlParameterSource("id", repositoryId).addValue("manifests", manifests).addValue("tags", tagsCreated)
                        .addValue("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC)));
    }

    /**
     * A delete removed {@code manifests} manifests and {@code tags} tags. The counters go first:
     * that update takes the row lock, so a push that changed the row before has committed by
     * the time the last push is looked up again, and a push after waits and then applies its own.
     */
    public void deleted(long repositoryId, int manifests, int tags) {
        if (manifests == 0 && tags == 0) {
            return;
        }
        MapSqlParameterSource p = new MapSqlParameterSource("id", repositoryId).addValue("manifests", manifests).addValue("tags", tags);
        jdbc.update("""
                update repository_stats set manifest_count = manifest_count - :manifests, tag_count = tag_count - :tags
                where repository_id = :id""", p);
        jdbc.update("""
                update repository_stats set last_pushed_at = greatest(
                    coalesce((select max(m.pushed_at) from manifests m where m.repository_id = :id),
                             (select max(t.updated_at) from tags t where t.repository_id = :id)),
                    coalesce((select max(t.updated_at) from tags t where t.repository_id = :id),
                             (select max(m.pushed_at) from manifests m where m.repository_id = :id)))
                where repository_id = :id""", p);
    }

    /**
     * The repository now links the blob (the link row is already inserted); its namespace's usage
     * moves too ({@link QuotaRows}). Every insert of a blob link must be followed by this call.
     *
     * @return what the link did to the namespace's usage (for the quota check)
     */
    public QuotaRows.Change linked(long repositoryId, Digest digest) {
        return relink(repositoryId, digest, 1);
    }

    /**
     * The repository no longer links the blob (the link row is already deleted); its namespace's
     * usage moves too, just before the transaction commits ({@link QuotaRows#unreferencedAtCommit}).
     * Every delete of a blob link must be followed by this call.
     */
    public void unlinked(long repositoryId, Digest digest) {
        relink(repositoryId, digest, -1);
    }

    /**
     * Size, shared and owned bytes depend on which other repositories link the blob, so the
     * blob's row is locked first (a no-op update: unlike SELECT FOR UPDATE on PostgreSQL, it does
     * not conflict with the key-share locks that inserting a link takes): links of one blob are
     * then accounted one transaction after the other, each seeing the ones committed before.
     */
    private QuotaRows.Change relink(long repositoryId, Digest digest, int sign) {
        MapSqlParameterSource p = new MapSqlParameterSource("digest", digest.toString()).addValue("id", repositoryId);
        jdbc.update("update blobs set size_bytes = size_bytes where digest = :digest", p);
        Long size = jdbc.queryForObject("select size_bytes from blobs where digest = :digest", p, Long.class);
        long[] others = jdbc.queryForObject("""
                select count(*), coalesce(min(repository_id), 0) from blob_links where digest = :digest and repository_id <> :id""", p,
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)});
        long count = others[0];
        long lowestOther = others[1];
        long s = sign * size;
        Map<Long, long[]> deltas = new TreeMap<>(); // id -> {size, shared, owned}; applied in id order (no deadlock)
        deltas.put(repositoryId, new long[] {s, count > 0 ? s : 0, count == 0 || repositoryId < lowestOther ? s : 0});
        if (count == 1) {
            deltas.put(lowestOther, new long[] {0, s, 0}); // the one other linker: the blob (un)becomes shared for it
        }
        if (count > 0 && repositoryId < lowestOther) {
            deltas.computeIfAbsent(lowestOther, k -> new long[3])[2] -= s; // ownership moves to / back from this repository
        }
        for (Map.Entry<Long, long[]> d : deltas.entrySet()) {
            jdbc.update("""
                    update repository_stats set size_bytes = size_bytes + :size, shared_bytes = shared_bytes + :shared,
                      owned_bytes = owned_bytes + :owned where repository_id = :id""",
                    new MapSqlParameterSource("id", d.getKey()).addValue("size", d.getValue()[0])
                            .addValue("shared", d.getValue()[1]).addValue("owned", d.getValue()[2]));
        }
        // Last: the namespace's row lock comes after the blob's and the stats rows' (for a drop: at the commit).
        if (sign < 0) {
            quotas.unreferencedAtCommit(repositoryId, digest, size);
            return QuotaRows.Change.NONE;
        }
        return quotas.referenced(repositoryId, digest, size);
    }
}
