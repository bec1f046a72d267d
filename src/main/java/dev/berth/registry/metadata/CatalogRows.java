package dev.berth.registry.metadata;

import dev.berth.oci.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The listed repositories: those holding at least one manifest (docs/api.md, {@code /v2/_catalog}),
 * for the API from {@code repositories} and for the web UI's home page from {@code repository_stats}
 * (one row per repository, kept right by the pushes and deletes themselves, so no request
 * aggregates tags or blobs). A repository holding only blobs or an abandoned upload has nothing to
 * pull, and is listed by neither.
 */
@Component
public class CatalogRows {

    /** How the home page's list is ordered; each order is one index of repository_stats, ties by name. */
    public enum Sort {
        NAME("name", "s.name"),
        PUSHED("pushed", "s.last_pushed_at desc nulls last, s.name"),
        SIZE("size", "s.size_bytes desc, s.name");

        private final String param;
        private final String orderBy;

        Sort(String param, String orderBy) {
            this.param = param;
            this.orderBy = orderBy;
        }

        /** The value of the page's {@code sort} parameter. */
        public String param() {
            return param;
        }

        public static Sort of(String param) {
            for (Sort s : values()) {
                if (s.param.equals(param)) {
                    return s;
                }
            }
            return NAME;
        }
    }

    public record Row(RepositoryName name, long tagCount, Instant lastPushed, long sizeBytes) {
    }

    public record Page(List<Row> rows, long matching, int page, int pages) {
    }

    /** Repositories and tags listed; stored bytes count every linked blob once, saved bytes what sharing saved. */
    public record Totals(long repositories, long tags, long storedBytes, long savedBytes) {
    }

    /** On repository_stats, the same rule as {@link Repositories#catalogPage}'s {@code exists} on manifests. */
    private static final String LISTED = "s.manifest_count > 0";

    private final NamedParameterJdbcTemplate jdbc;

    CatalogRows(JdbcTemplate jdbc) {
        this.jdbc = new NamedParameterJdbcTemplate(jdbc);
    }

    /**
     * One page of the home page's list: repositories whose name contains {@code query}, among
     * those {@code visible} lets through. Without a query or a condition the page is read along
     * the index of the sort. Otherwise the names are scanned (no B-tree index serves a substring
     * or a visibility rule) once, over the narrow stats rows: the page and the number of matches
     * ({@code count(*) over ()}) come from one query. A page past the last shows the last.
     *
     * @param visible an SQL condition on {@code s.name}, or null for every repository
     * @param params  the named parameters {@code visible} uses
     */
    public Page page(String query, Sort sort, int page, int pageSize, String visible, Map<String, Object> params) {
        MapSqlParameterSource p = new MapSqlParameterSource("pattern", LikePatterns.lowerCase(query)).addValue("limit", pageSize)
                .addValues(params);
        if ((query == null || query.isBlank()) && visible == null) {
            long matching = jdbc.queryForObject("select count(*) from repository_stats s where " + LISTED, p, Long.class);
            int pages = pages(matching, pageSize);
            int current = Math.min(Math.max(page, 1), pages);
            p.addValue("offset", (long) (current - 1) * pageSize);
            List<Row> rows = jdbc.query("select s.name, s.tag_count, s.last_pushed_at, s.size_bytes from repository_stats s where "
                    + LISTED + " order by " + sort.orderBy + " limit :limit offset :offset", p,
                    (rs, i) -> new Row(RepositoryName.of(rs.getString(1)), rs.getLong(2), Timestamps.instant(rs, 3), rs.getLong(4)));
            return new Page(rows, matching, current, pages);
        }
        String where = LISTED + " and s.name like :pattern escape '\\' and " + (visible == null ? "1 = 1" : visible);
        long[] matching = {0};
        int current = Math.max(page, 1);
        List<Row> rows = List.of();
        for (int attempt = 0; attempt < 2; attempt++) {
            p.addValue("offset", (long) (current - 1) * pageSize);
            rows = jdbc.query("""
                    select s.name, s.tag_count, s.last_pushed_at, s.size_bytes, count(*) over ()
                    from repository_stats s where %s
                    order by %s limit :limit offset :offset""".formatted(where, sort.orderBy), p, (rs, i) -> {
                        matching[0] = rs.getLong(5);
                        return new Row(RepositoryName.of(rs.getString(1)), rs.getLong(2), Timestamps.instant(rs, 3), rs.getLong(4));
                    });
            if (!rows.isEmpty() || current == 1) {
                break;
            }
            // past the last page: count, and show the last page instead
            matching[0] = jdbc.queryForObject("select count(*) from repository_stats s where " + where, p, Long.class);
            current = pages(matching[0], pageSize);
        }
        return new Page(rows, matching[0], current, pages(matching[0], pageSize));
    }

    static int pages(long matching, int pageSize) {
        return (int) Math.max(1, (matching + pageSize - 1) / pageSize);
    }

    /**
     * The registry's totals, summed over repository_stats: the listed repositories, their tags;
     * owned bytes count every linked blob once (see V3__repository_stats.sql), so they are what
     * is stored; the rest of the repositories' sizes is what sharing saved.
     */
    public Totals totals() {
        return jdbc.queryForObject("""
                select (select count(*) from repository_stats s where %s), coalesce(sum(tag_count), 0),
                  coalesce(sum(owned_bytes), 0), coalesce(sum(size_bytes - owned_bytes), 0)
                from repository_stats""".formatted(LISTED), new MapSqlParameterSource(),
                (rs, i) -> new Totals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
    }

    /**
     * One page of {@code /v2/_catalog} after {@code last} (exclusive), cut down by an SQL condition
     * on {@code r.name} (from the access policy), so that paging and the {@code Link} header count
     * only what is listed. Without a condition, {@link Repositories#catalogPage} is the same page.
     *
     * @param condition an SQL condition on the repository's name, {@code r.name}
     * @param params    the named parameters it uses
     */
    public List<RepositoryName> v2Page(String last, int limit, String condition, Map<String, Object> params) {
        return jdbc.query("""
                select r.name from repositories r
                where r.name > :last and exists (select 1 from manifests m where m.repository_id = r.id)
                and (%s)
                order by r.name
                limit :limit""".formatted(condition),
                new MapSqlParameterSource("last", last == null ? "" : last).addValue("limit", limit).addValues(params),
                (rs, i) -> RepositoryName.of(rs.getString(1)));
    }
}
