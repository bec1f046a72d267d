package dev.berth.registry.ui;

import dev.berth.registry.auth.AccessPolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /**
     * How the repository list is ordered. Each order picks one page of repository ids in a single
     * query: by name straight from the name index; by last push or size from one grouped scan.
     */
    enum Sort {
        NAME("name", "select r.id from repositories r where r.name like :pattern escape '\\' and %s order by r.name"),
        PUSHED("pushed", """
                select r.id from repositories r
                left join (select repository_id, max(pushed_at) as last_pushed from manifests group by repository_id) m
                  on m.repository_id = r.id
                where r.name like :pattern escape '\\' and %s
                order by m.last_pushed desc nulls last, r.name"""),
        SIZE("size", """
                select r.id from repositories r
                left join (select l.repository_id, sum(b.size_bytes) as size_bytes
                           from blob_links l join blobs b on b.digest = l.digest group by l.repository_id) s
                  on s.repository_id = r.id
                where r.name like :pattern escape '\\' and %s
                order by coalesce(s.size_bytes, 0) desc, r.name""");

        final String param;
        final String pageIds;

        Sort(String param, String pageIds) {
            this.param = param;
            this.pageIds = pageIds;
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

    /**
     * @param visible the caller's {@link AccessPolicy#pullableFilter} on {@code r.name}: only what the
     *                caller may pull is counted and listed (%s in each query)
     */
    RepositoryPage page(String query, Sort sort, int page, AccessPolicy.PullableFilter visible) {
        MapSqlParameterSource params = new MapSqlParameterSource("pattern", likePattern(query)).addValues(visible.params());
        long matching = jdbc.queryForObject("select count(*) from repositories r where r.name like :pattern escape '\\' and "
                + visible.sql(), params, Long.class);
        int pages = (int) Math.max(1, (matching + PAGE_SIZE - 1) / PAGE_SIZE);
        int current = Math.min(Math.max(page, 1), pages);
        params.addValue("limit", PAGE_SIZE).addValue("offset", (long) (current - 1) * PAGE_SIZE);
        List<Long> ids = jdbc.queryForList(sort.pageIds.formatted(visible.sql()) + " limit :limit offset :offset", params, Long.class);
        if (ids.isEmpty()) {
            return new RepositoryPage(List.of(), matching, current, pages);
        }
        // The aggregates of the page's rows only: one index range scan each per repository.
        Map<Long, RepositoryRow> byId = new HashMap<>();
        jdbc.query("""
                select r.id, r.name,
                  (select count(*) from tags t where t.repository_id = r.id),
                  (select max(m.pushed_at) from manifests m where m.repository_id = r.id),
                  (select coalesce(sum(b.size_bytes), 0) from blob_links l join blobs b on b.digest = l.digest
                     where l.repository_id = r.id)
                from repositories r where r.id in (:ids)""", new MapSqlParameterSource("ids", ids),
                rs -> {
                    byId.put(rs.getLong(1), new RepositoryRow(rs.getString(2), rs.getLong(3), instant(rs, 4), rs.getLong(5)));
                });
        return new RepositoryPage(ids.stream().map(byId::get).filter(Objects::nonNull).toList(), matching, current, pages);
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
