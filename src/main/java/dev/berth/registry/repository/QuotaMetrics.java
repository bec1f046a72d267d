package dev.berth.registry.repository;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * {@code berth_quota_used_bytes{namespace}}: each namespace's counted use, read from the database
 * (one query) every 30 s rather than at each scrape, so a scrape never waits on it; a namespace
 * with no row left drops out at the next read.
 */
@Component
class QuotaMetrics {

    private static final Logger log = LoggerFactory.getLogger(QuotaMetrics.class);

    private final Quotas quotas;
    private final MultiGauge used;

    QuotaMetrics(Quotas quotas, MeterRegistry meters) {
        this.quotas = quotas;
        this.used = MultiGauge.builder("berth.quota.used.bytes").baseUnit("bytes")
                .description("Bytes a namespace stores, as its quota counts them").register(meters);
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "30s")
    void refresh() {
        try {
            List<MultiGauge.Row<?>> rows = quotas.uses().stream()
                    .map(u -> MultiGauge.Row.of(Tags.of("namespace", u.namespace()), u.usedBytes()))
                    .<MultiGauge.Row<?>>map(r -> r)
                    .toList();
            used.register(rows, true);
        } catch (DataAccessException e) {
            log.warn("cannot read the namespaces' quota use for berth_quota_used_bytes: {}", e.toString());
        }
    }
}
