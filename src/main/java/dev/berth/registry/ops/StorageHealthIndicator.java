package dev.berth.registry.ops;

import dev.berth.content.ContentStore;
import dev.berth.registry.storage.StorageSpace;
import java.io.IOException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "storage": the blob store can take new content (its directories
 * are writable, {@link ContentStore#probe}), and the file system has more free space than the reserve
 * (below it, uploads are refused).
 */
@Component("storage")
class StorageHealthIndicator implements HealthIndicator {

    private final ContentStore store;
    private final StorageSpace space;

    StorageHealthIndicator(ContentStore store, StorageSpace space) {
        this.store = store;
        this.space = space;
    }

    @Override
    public Health health() {
        try {
            store.probe();
            long free = space.usable();
            Health.Builder health = free <= space.reserve()
                    ? Health.down().withDetail("error", "less free space than the reserve: uploads are refused")
                    : Health.up();
            return health.withDetail("path", store.location()).withDetail("free", free)
                    .withDetail("reserve", space.reserve()).withDetail("total", space.total()).build();
        } catch (IOException e) {
            return Health.down().withDetail("path", store.location()).withDetail("error", e.toString()).build();
        }
    }
}
