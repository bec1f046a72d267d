package dev.berth.registry.metadata;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the registry stores, counted: the Prometheus gauges' one query. Repositories, tags and
 * manifests are summed over repository_stats (one row per repository, kept by the changes'
 * own transactions); blobs and their bytes are counted in {@code blobs}, which holds every
 * stored blob, linked or waiting for GC. Callers cache the answer (see ops/StoredGauges).
 */
@Component
public class StoredCounts {

    /** The counts at one moment. */
    public record Counts(long repositories, long tags, long manifests, long blobs, long storedBytes) {
    }

    private final JdbcTemplate jdbc;

    StoredCounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Counts now() {
        return jdbc.queryForObject("""
                SELECT (SELECT count(*) FROM repository_stats), (SELECT coalesce(sum(tag_count), 0) FROM repository_stats),
                  (SELECT coalesce(sum(manifest_count), 0) FROM repository_stats),
                  (SELECT count(*) FROM blobs), (SELECT coalesce(sum(size_bytes), 0) FROM blobs)""",
                (rs, i) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
    }
}
