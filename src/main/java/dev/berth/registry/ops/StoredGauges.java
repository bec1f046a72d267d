package dev.berth.registry.ops;

import dev.berth.registry.metadata.StoredCounts;
import dev.berth.registry.metadata.StoredCounts.Counts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToLongFunction;
import org.springframework.stereotype.Component;

/**
 * Gauges of what is stored: {@code berth_repositories}, {@code berth_tags}, {@code berth_manifests},
 * {@code berth_blobs}, {@code berth_stored_bytes}. One query answers all five, run at most once
 * per {@link #MAX_AGE}: a scrape never counts a big registry's blobs table each time.
 */
@Component
class StoredGauges {

    static final Duration MAX_AGE = Duration.ofSeconds(30);

    private final StoredCounts counts;
    private final Clock clock;
    private Counts last;
    private Instant at = Instant.MIN;

    StoredGauges(StoredCounts counts, Clock clock, MeterRegistry meters) {
        this.counts = counts;
        this.clock = clock;
        gauge(meters, "berth.repositories", "Repositories stored", Counts::repositories);
        gauge(meters, "berth.tags", "Tags stored", Counts::tags);
        gauge(meters, "berth.manifests", "Manifests stored", Counts::manifests);
        gauge(meters, "berth.blobs", "Blobs stored (linked or waiting for GC)", Counts::blobs);
        gauge(meters, "berth.stored.bytes", "Bytes of the blobs stored, each blob once", Counts::storedBytes);
    }

    private void gauge(MeterRegistry meters, String name, String description, ToLongFunction<Counts> value) {
        Gauge.builder(name, this, g -> value.applyAsLong(g.counts())).description(description).register(meters);
    }

    /** The counts, at most {@link #MAX_AGE} old. */
    synchronized Counts counts() {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(at.plus(MAX_AGE))) {
            last = counts.now();
            at = now;
        }
        return last;
    }

    /** Counts again at the next read (for tests: they push, then read at once). */
    synchronized void expire() {
        last = null;
    }
}
