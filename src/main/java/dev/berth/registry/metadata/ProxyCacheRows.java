package dev.berth.registry.metadata;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the pull-through cache's {@code max-bytes} eviction reads and writes: the cached bytes of an
 * upstream's namespace, its manifests by when they were last pulled ({@code manifests.last_pulled_at},
 * see V12__manifest_last_pulled.sql), and those pull times, written in batches.
 */
@Component
public class ProxyCacheRows {

    /** A cached manifest that may be evicted, and when it was last pulled (or cached, when never recorded). */
    public record Candidate(RepositoryName repository, Digest digest, Instant lastPulled) {
    }

    private static final String IN_NAMESPACE = "r.name like :prefix escape '\\'";

    /**
     * The bytes the namespace's manifests hold: each distinct manifest, and each distinct blob that a
     * manifest of the same repository references and that repository links (stored, so pulled at
     * least once). A blob its manifests no longer reference does not count, although its link and
     * bytes stay until GC reviews it: evicting a manifest takes its blobs off at once.
     */
    private static final String CACHED_BYTES = """
            select coalesce(sum(size_bytes), 0) from (
                select m.digest, m.size_bytes from manifests m join repositories r on r.id = m.repository_id
                where %1$s
                union
                select b.digest, b.size_bytes from blob_links l join repositories r on r.id = l.repository_id
                join blobs b on b.digest = l.digest
                where %1$s and exists (select 1 from manifest_references mr join manifests m on m.id = mr.manifest_id
                                       where m.repository_id = l.repository_id and mr.digest = l.digest)
            ) cached""".formatted(IN_NAMESPACE);

    /** Manifests no index of their repository lists (an index goes before its children), least recently pulled first. */
    private static final String CANDIDATES = """
            select r.name, m.digest, coalesce(m.last_pulled_at, m.pushed_at) pulled from manifests m
            join repositories r on r.id = m.repository_id
            where %s and not exists (select 1 from manifest_references mr join manifests p on p.id = mr.manifest_id
                                     where p.repository_id = m.repository_id and mr.digest = m.digest)
            order by pulled, m.id limit :limit""".formatted(IN_NAMESPACE);

    private final NamedParameterJdbcTemplate jdbc;

    ProxyCacheRows(JdbcTemplate jdbc) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
    }

    public long cachedBytes(String namespace) {
        Long bytes = jdbc.queryForObject(CACHED_BYTES, prefix(namespace), Long.class);
        return bytes == null ? 0 : bytes;
    }

    public List<Candidate> leastRecentlyPulled(String namespace, int limit) {
        return jdbc.query(CANDIDATES, prefix(namespace).addValue("limit", limit), (rs, i) ->
                new Candidate(RepositoryName.of(rs.getString(1)), Digest.of(rs.getString(2)), Timestamps.instant(rs, 3)));
    }

    /** Records pull times by manifest id; a later time never goes back (another server may have written one). */
    public void recordPulls(Map<Long, Instant> pulls) {
        SqlParameterSource[] batch = pulls.entrySet().stream()
                .map(e -> new MapSqlParameterSource("id", e.getKey()).addValue("at", Timestamps.of(e.getValue())))
                .toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate("update manifests set last_pulled_at = :at where id = :id and (last_pulled_at is null or last_pulled_at < :at)",
                batch);
    }

    private static MapSqlParameterSource prefix(String namespace) {
        String escaped = namespace.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return new MapSqlParameterSource("prefix", escaped + "/%");
    }
}
