package dev.berth.registry.storage;

import dev.berth.content.ContentStore;
import dev.berth.content.FileContentStore;
import dev.berth.registry.RegistryProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The registry's blob store: the content store on the data directory, staging uploads in
 * {@code uploads/} (named by their upload id), with the free-space reserve of {@link StorageSpace}
 * and an early start of the fsync every 8 MiB while an upload arrives.
 */
@Configuration(proxyBeanMethods = false)
class BlobStorage {

    @Bean
    ContentStore blobStore(RegistryProperties properties, StorageSpace space) {
        return open(properties, space);
    }

    /** The store as the server opens it (also what its contract test runs against). */
    static ContentStore open(RegistryProperties properties, StorageSpace space) {
        return new FileContentStore(properties.dataDir(), new FileContentStore.Settings("uploads", space, true));
    }
}
