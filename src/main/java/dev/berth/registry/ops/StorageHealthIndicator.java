package dev.berth.registry.ops;

import dev.berth.registry.storage.FilesystemBlobStore;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code /actuator/health} component "storage": the blob and upload directories exist and are writable. */
@Component("storage")
class StorageHealthIndicator implements HealthIndicator {

    private final FilesystemBlobStore store;

    StorageHealthIndicator(FilesystemBlobStore store) {
        this.store = store;
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
            FileStore fs = Files.getFileStore(blobs);
            return Health.up().withDetail("path", blobs.getParent().toString())
                    .withDetail("free", fs.getUsableSpace()).withDetail("total", fs.getTotalSpace()).build();
        } catch (IOException e) {
            return Health.down().withDetail("path", uploads.toString()).withDetail("error", e.toString()).build();
        }
    }
}
