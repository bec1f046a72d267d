package dev.berth.registry.ops;

import dev.berth.registry.storage.FilesystemBlobStore;
import dev.berth.registry.storage.StorageSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component "storage": the blob and upload directories exist and are
 * writable, and the file system has more free space than the reserve (below it, uploads are refused).
 */
@Component("storage")
class StorageHealthIndicator implements HealthIndicator {

    private final FilesystemBlobStore store;
    private final StorageSpace space;

    StorageHealthIndicator(FilesystemBlobStore store, StorageSpace space) {
        this.store = store;
        this.space = space;
    }

    @Override
    public Health health() {
        Path blobs = store.blobsRoot();
        Path uploads = store.uploadsRoot();
        for (Path dir : new Path[] {blobs, uploads}) {
            if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
                return Health.down().withDetail("path", dir.toString()).withDetail("error", "not a writable directory").build();
            }
        }
        try {
            Path probe = Files.createTempFile(uploads, ".health-", ".tmp");
            Files.delete(probe);
            long free = space.usable();
            Health.Builder health = free <= space.reserve()
                    ? Health.down().withDetail("error", "less free space than the reserve: uploads are refused")
                    : Health.up();
            return health.withDetail("path", blobs.getParent().toString()).withDetail("free", free)
                    .withDetail("reserve", space.reserve()).withDetail("total", space.total()).build();
        } catch (IOException e) {
            return Health.down().withDetail("path", uploads.toString()).withDetail("error", e.toString()).build();
        }
    }
}
