package dev.berth.registry.ui;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The home page's numbers, straight from SQL: one page of repositories with their aggregates,
 * and the registry's totals. Only the rows of the page asked for ever leave the database.
 */
@Component
class Catalog {

    static final int PAGE_SIZE = 50;

    /** How the repository list is ordered. */
    enum Sort {
        NAME("name", "r.name"),
        PUSHED("pushed", "last_pushed desc nulls last, r.name"),
        SIZE("size", "size_bytes desc, r.name");

        final String param;
        final String orderBy;

        Sort(String param, String orderBy) {
            this.param = param;
            this.orderBy = orderBy;
        }

        static Sort of(String param) {
            for (Sort s : values()) {
                if (s.param.equals(param)) {
                    return s;
                }
            }
            return NAME;
        }
    }

    public record RepositoryRow(String name, long tagCount, Instant lastPushed, long sizeBytes) {
    }

    public record RepositoryPage(List<RepositoryRow> rows, long matching, int page, int pages) {
    }

    public record Totals(long repositories, long tags, long storedBytes, long savedBytes) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    Catalog(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    RepositoryPage page(String query, Sort sort, int page) {
        MapSqlParameterSource params = new MapSqlParameterSource("pattern", likePattern(query));
        long matching = jdbc.queryForObject("select count(*) from repositories r where r.name like :pattern escape '\\'",
                params, Long.class);
        int pages = (int) Math.max(1, (matching + PAGE_SIZE - 1) / PAGE_SIZE);
        int current = Math.min(Math.max(page, 1), pages);
        params.addValue("limit", PAGE_SIZE).addValue("offset", (long) (current - 1) * PAGE_SIZE);
        // Correlated sub-queries: each is one index range scan per repository (tags, manifests and
        // blob_links are all keyed by repository_id first).
        List<RepositoryRow> rows = jdbc.query("""
                select r.name,
                  (select count(*) from tags t where t.repository_id = r.id) as tag_count,
                  (select max(m.pushed_at) from manifests m where m.repository_id = r.id) as last_pushed,
                  (select coalesce(sum(b.size_bytes), 0) from blob_links l join blobs b on b.digest = l.digest
                     where l.repository_id = r.id) as size_bytes
                from repositories r
                where r.name like :pattern escape '\\'
                order by %s
                limit :limit offset :offset""".formatted(sort.orderBy), params,
                (rs, i) -> new RepositoryRow(rs.getString(1), rs.getLong(2), instant(rs, 3), rs.getLong(4)));
        return new RepositoryPage(rows, matching, current, pages);
    }

    Totals totals() {
        MapSqlParameterSource none = new MapSqlParameterSource();
        return jdbc.queryForObject("""
                select (select count(*) from repositories),
                       (select count(*) from tags),
                       (select coalesce(sum(size_bytes), 0) from blobs),
                       (select coalesce(sum(b.size_bytes * (s.links - 1)), 0)
                          from (select digest, count(*) as links from blob_links group by digest) s
                          join blobs b on b.digest = s.digest)""", none,
                (rs, i) -> new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
    }

    /** Names are lower case, so the search is too; LIKE's own wildcards in the query match literally. */
    static String likePattern(String query) {
        if (query == null || query.isBlank()) {
            return "%";
        }
        String q = query.trim().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + q + "%";
    }

    /** Tags are case-sensitive, so their search is too. */
    static String likePatternCaseSensitive(String query) {
        if (query == null || query.isBlank()) {
            return "%";
        }
        return "%" + query.trim().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
