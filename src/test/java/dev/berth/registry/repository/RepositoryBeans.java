package dev.berth.registry.repository;

import dev.berth.registry.metadata.MetadataBeans;
import dev.berth.registry.metadata.StatsRows;
import java.time.Clock;

/** The repository package's beans built by hand on {@link MetadataBeans}, for slice tests of the services that use them. */
public final class RepositoryBeans {

    private RepositoryBeans() {
    }

    public static RepositoryService service(MetadataBeans metadata, StatsRows stats, Clock clock) {
        return new RepositoryService(metadata.repositories(), metadata.blobs(), metadata.blobLinks(), metadata.blobRecords(),
                metadata.transactions(), stats, metadata.catalogRows(), clock);
    }
}
