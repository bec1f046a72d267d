package dev.berth.registry.ui;

import dev.berth.registry.auth.AccessPolicy;
import jakarta.annotation.PreDestroy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The home page's numbers, from {@code repository_stats} (one row per repository, kept right by
 * the pushes and deletes themselves): one page of rows through the index of the sort asked for,
 * and the registry's totals as sums over that table, recomputed in the background when older
 * than {@link #TOTALS_MAX_AGE}. No request aggregates tags or blobs.
 */
@Component
class Catalog {

    static final int PAGE_SIZE = 50;

    /** How the repository list is ordered; each order is one index of repository_stats, ties by name. */
    enum Sort {
        NAME("name", "s.name"),
        PUSHED("pushed", "s.last_pushed_at desc nulls last, s.name"),
        SIZE("size", "s.size_bytes desc, s.name");

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

    /** How old the registry's totals may be: summing 10,000 rows is cheap, but not per page view. */
    static final Duration TOTALS_MAX_AGE = Duration.ofSeconds(10);

    private final NamedParameterJdbcTemplate jdbc;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "berth-ui-totals");
        t.setDaemon(true);
        return t;
    });
    private final RefreshingValue<Totals> totals;

    Catalog(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.totals = new RefreshingValue<>(this::sumTotals, TOTALS_MAX_AGE, clock, background);
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }

    /**
     * One page of repositories whose name contains {@code query}, among those the viewer may pull.
     * Without a query, for a viewer who sees everything, there is no filter: the count is the
     * table's and the page is read along the index of the sort. Otherwise the names are scanned
     * (no B-tree index serves a substring or a visibility rule) once, over the narrow stats rows:
     * the page and the number of matches ({@code count(*) over ()}) come from one query.
     *
     * @param visible the viewer's {@link AccessPolicy#pullableFilter} on {@code s.name}
     */
    RepositoryPage page(String query, Sort sort, int page, AccessPolicy.PullableFilter visible) {
        MapSqlParameterSource params = new MapSqlParameterSource("pattern", likePattern(query)).addValue("limit", PAGE_SIZE)
                .addValues(visible.params());
        if ((query == null || query.isBlank()) && visible.sql().equals(AccessPolicy.EVERYTHING.sql())) {
            long matching = jdbc.queryForObject("select count(*) from repository_stats", params, Long.class);
            int pages = pages(matching);
            int current = Math.min(Math.max(page, 1), pages);
            params.addValue("offset", (long) (current - 1) * PAGE_SIZE);
            List<RepositoryRow> rows = jdbc.query("select s.name, s.tag_count, s.last_pushed_at, s.size_bytes from repository_stats s"
                    + " order by " + sort.orderBy + " limit :limit offset :offset", params,
                    (rs, i) -> new RepositoryRow(rs.getString(1), rs.getLong(2), instant(rs, 3), rs.getLong(4)));
            return new RepositoryPage(rows, matching, current, pages);
        }
        String where = "s.name like :pattern escape '\\' and " + visible.sql();
        long[] matching = {0};
        int current = Math.max(page, 1);
        List<RepositoryRow> rows = List.of();
        for (int attempt = 0; attempt < 2; attempt++) {
            params.addValue("offset", (long) (current - 1) * PAGE_SIZE);
            rows = jdbc.query("""
                    select s.name, s.tag_count, s.last_pushed_at, s.size_bytes, count(*) over ()
                    from repository_stats s where %s
                    order by %s limit :limit offset :offset""".formatted(where, sort.orderBy), params, (rs, i) -> {
                        matching[0] = rs.getLong(5);
                        return new RepositoryRow(rs.getString(1), rs.getLong(2), instant(rs, 3), rs.getLong(4));
                    });
            if (!rows.isEmpty() || current == 1) {
                break;
            }
            // past the last page: count, and show the last page instead
            matching[0] = jdbc.queryForObject("select count(*) from repository_stats s where " + where, params, Long.class);
            current = pages(matching[0]);
        }
        return new RepositoryPage(rows, matching[0], current, pages(matching[0]));
    }

    private static int pages(long matching) {
        return (int) Math.max(1, (matching + PAGE_SIZE - 1) / PAGE_SIZE);
    }

    /** The registry's totals, at most {@link #TOTALS_MAX_AGE} old (see {@link RefreshingValue}). */
    Totals totals() {
        return totals.get();
    }

    /**
     * Owned bytes count every linked blob once (see V3__repository_stats.sql), so they are what
     * is stored; the rest of the repositories' sizes is what sharing saved.
     */
    private Totals sumTotals() {
        return jdbc.queryForObject("""
                select count(*), coalesce(sum(tag_count), 0), coalesce(sum(owned_bytes), 0), coalesce(sum(size_bytes - owned_bytes), 0)
                from repository_stats""", new MapSqlParameterSource(),
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
