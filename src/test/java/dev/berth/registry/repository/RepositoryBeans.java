package dev.berth.registry.repository;

import dev.berth.registry.metadata.MetadataBeans;
import dev.berth.registry.metadata.StatsRows;
import dev.berth.registry.gc.GcProperties;
import dev.berth.registry.gc.ReviewQueue;
import java.time.Clock;
import java.time.Duration;

/** The repository package's beans built by hand on {@link MetadataBeans}, for slice tests of the services that use them. */
public final class RepositoryBeans {

    private RepositoryBeans() {
    }

    public static RepositoryService service(MetadataBeans metadata, StatsRows stats, Clock clock) {
        return new RepositoryService(metadata.repositories(), metadata.blobs(), metadata.blobLinks(), metadata.blobRecords(),
                metadata.transactions(), stats, metadata.catalogRows(), reviewQueue(metadata, clock), quotas(metadata, clock), clock);
    }

    /** Quotas with none configured (limits can be set as in the web UI). */
    public static Quotas quotas(MetadataBeans metadata, Clock clock) {
        return new Quotas(new QuotaSettings(null), metadata.quotaRows(), metadata.transactions(), clock);
    }

    /** The GC review queue with the default settings. */
    public static ReviewQueue reviewQueue(MetadataBeans metadata, Clock clock) {
        return new ReviewQueue(metadata.gcReviews(), new GcProperties(true, Duration.ofHours(24), Duration.ofMinutes(1), null), clock);
    }
}
