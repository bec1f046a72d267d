package dev.berth.testing;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * repository_stats computed from scratch, the slow way (the same aggregates as the backfill of
 * V3__repository_stats.sql): what the rows kept up to date by pushes and deletes must equal.
 */
public final class StatsOracle {

    /** A row of repository_stats (or what it should be). */
    public record Row(String name, long tagCount, long manifestCount, long sizeBytes, long sharedBytes, long ownedBytes,
                      Instant lastPushed) {
    }

    private static final String COMPUTED = """
            select r.id, r.name,
              (select count(*) from tags t where t.repository_id = r.id),
              (select count(*) from manifests m where m.repository_id = r.id),
              (select coalesce(sum(b.size_bytes), 0) from blob_links l join blobs b on b.digest = l.digest where l.repository_id = r.id),
              (select coalesce(sum(b.size_bytes), 0) from blob_links l join blobs b on b.digest = l.digest where l.repository_id = r.id
                 and exists (select 1 from blob_links o where o.digest = l.digest and o.repository_id <> r.id)),
              (select coalesce(sum(b.size_bytes), 0) from blob_links l join blobs b on b.digest = l.digest where l.repository_id = r.id
                 and not exists (select 1 from blob_links o where o.digest = l.digest and o.repository_id < r.id)),
              greatest(coalesce((select max(m.pushed_at) from manifests m where m.repository_id = r.id),
                                (select max(t.updated_at) from tags t where t.repository_id = r.id)),
                       coalesce((select max(t.updated_at) from tags t where t.repository_id = r.id),
                                (select max(m.pushed_at) from manifests m where m.repository_id = r.id)))
            from repositories r""";

    private StatsOracle() {
    }

    /** What the repository's row should hold. */
    public static Row expected(JdbcTemplate jdbc, String repository) {
        return jdbc.queryForObject(COMPUTED + " where r.name = ?", (rs, i) -> new Row(rs.getString(2), rs.getLong(3), rs.getLong(4),
                rs.getLong(5), rs.getLong(6), rs.getLong(7), instant(rs.getObject(8, OffsetDateTime.class))), repository);
    }

    /** What the repository's row holds. */
    public static Row actual(JdbcTemplate jdbc, String repository) {
        List<Row> rows = jdbc.query("""
                select name, tag_count, manifest_count, size_bytes, shared_bytes, owned_bytes, last_pushed_at
                from repository_stats where name = ?""", (rs, i) -> new Row(rs.getString(1), rs.getLong(2), rs.getLong(3),
                rs.getLong(4), rs.getLong(5), rs.getLong(6), instant(rs.getObject(7, OffsetDateTime.class))), repository);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Replaces every row with the computed one (for data written straight into the tables). */
    public static void rebuild(JdbcTemplate jdbc) {
        jdbc.update("delete from repository_stats");
        jdbc.update("insert into repository_stats (repository_id, name, tag_count, manifest_count, size_bytes, shared_bytes, owned_bytes,"
                + " last_pushed_at) " + COMPUTED);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
