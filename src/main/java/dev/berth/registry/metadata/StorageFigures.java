package dev.berth.registry.metadata;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The administrators' Storage page's figures, counted when the page is opened (an
 * administrator's page, not a scrape: no cache).
 */
@Component
public class StorageFigures {

    /**
     * {@code reclaimableBytes}: blobs no repository links and no manifest references, which GC
     * deletes when their reviews are due.
     */
    public record Figures(long blobs, long storedBytes, long reclaimableBlobs, long reclaimableBytes) {
    }

    private final JdbcTemplate jdbc;

    StorageFigures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Figures now() {
        return jdbc.queryForObject("""
                SELECT (SELECT count(*) FROM blobs), (SELECT coalesce(sum(size_bytes), 0) FROM blobs),
                  count(*), coalesce(sum(b.size_bytes), 0) FROM blobs b
                WHERE NOT EXISTS (SELECT 1 FROM blob_links l WHERE l.digest = b.digest)
                  AND NOT EXISTS (SELECT 1 FROM manifest_references r WHERE r.digest = b.digest)""",
                (rs, i) -> new Figures(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
    }
}
