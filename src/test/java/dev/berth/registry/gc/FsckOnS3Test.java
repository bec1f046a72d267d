package dev.berth.registry.gc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.registry.RegistryProperties;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage check reads the data directory's blob files: on an S3 store it refuses, rather than report every blob lost. */
class FsckOnS3Test {

    @TempDir
    Path dataDir;

    @Test
    void theStorageCheckRefusesAnS3Store() {
        RegistryProperties properties = new RegistryProperties(dataDir, null, null, null,
                new RegistryProperties.Storage(null, RegistryProperties.Storage.Type.S3,
                        new RegistryProperties.Storage.S3(null, null, "bucket", null, null, null, false, false, null, null)));

        // No rows and no store are needed to see that: it refuses before it reads anything.
        assertThatThrownBy(() -> new FsckService(null, null, properties, Clock.systemUTC()).check())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the storage check reads the blob files of the data directory, and berth.storage.type is s3");
    }
}
