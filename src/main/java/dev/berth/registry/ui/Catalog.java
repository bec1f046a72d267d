package dev.berth.registry.ui;

import dev.berth.registry.auth.AccessPolicy;
import dev.berth.registry.metadata.CatalogRows;
import dev.berth.registry.metadata.CatalogRows.Sort;
import dev.berth.registry.metadata.CatalogRows.Totals;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.stereotype.Component;

/**
 * The home page's numbers, from {@link CatalogRows}: one page of the listed repositories, and the
 * registry's totals, recomputed in the background when older than {@link #TOTALS_MAX_AGE}.
 */
@Component
class Catalog {

    static final int PAGE_SIZE = 50;

    public record RepositoryRow(String name, long tagCount, Instant lastPushed, long sizeBytes) {
    }

    public record RepositoryPage(List<RepositoryRow> rows, long matching, int page, int pages) {
    }

    /** How old the registry's totals may be: summing 10,000 rows is cheap, but not per page view. */
    static final Duration TOTALS_MAX_AGE = Duration.ofSeconds(10);

    private final CatalogRows rows;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "berth-ui-totals");
        t.setDaemon(true);
        return t;
    });
    private final RefreshingValue<Totals> totals;

    Catalog(CatalogRows rows, Clock clock) {
        this.rows = rows;
        this.totals = new RefreshingValue<>(rows::totals, TOTALS_MAX_AGE, clock, background);
    }

    @PreDestroy
    void stop() {
        background.shutdownNow();
    }

    /**
     * One page of repositories whose name contains {@code query}, among those the viewer may pull.
     *
     * @param visible the viewer's {@link AccessPolicy#pullableFilter} on {@code s.name}
     */
    RepositoryPage page(String query, Sort sort, int page, AccessPolicy.PullableFilter visible) {
        boolean everything = visible.sql().equals(AccessPolicy.EVERYTHING.sql());
        CatalogRows.Page found = rows.page(query, sort, page, PAGE_SIZE, everything ? null : visible.sql(), visible.params());
        return new RepositoryPage(found.rows().stream()
                .map(r -> new RepositoryRow(r.name().value(), r.tagCount(), r.lastPushed(), r.sizeBytes())).toList(),
                found.matching(), found.page(), found.pages());
    }

    /** The registry's totals, at most {@link #TOTALS_MAX_AGE} old (see {@link RefreshingValue}). */
    Totals totals() {
        return totals.get();
    }
}
