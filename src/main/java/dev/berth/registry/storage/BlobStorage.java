package dev.berth.registry.storage;

import dev.berth.content.ContentStore;
import dev.berth.content.FileContentStore;
import dev.berth.content.s3.S3ContentStore;
import dev.berth.content.s3.S3Settings;
import dev.berth.registry.RegistryProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The registry's blob store ({@code berth.storage.type}): the content store on the data directory,
 * staging uploads in {@code uploads/} (named by their upload id), with the free-space reserve of
 * {@link StorageSpace} and an early start of the fsync every 8 MiB while an upload arrives; or an
 * S3 bucket, whose uploads spool in {@code s3-uploads/} of the data directory under the same reserve.
 */
@Configuration(proxyBeanMethods = false)
class BlobStorage {

    @Bean
    ContentStore blobStore(RegistryProperties properties, StorageSpace space) {
        return open(properties, space);
    }

    /** The store as the server opens it (also what its contract tests run against). */
    static ContentStore open(RegistryProperties properties, StorageSpace space) {
        RegistryProperties.Storage storage = properties.storage();
        if (storage.type() == RegistryProperties.Storage.Type.S3) {
            RegistryProperties.Storage.S3 s3 = storage.s3();
            S3Settings settings = new S3Settings(s3.endpoint(), s3.region(), s3.bucket(), s3.prefix(), s3.accessKey(),
                    s3.secretKey(), s3.pathStyleAccess(), s3.redirect(), s3.redirectExpiry(), s3.partSize().toBytes());
            return new S3ContentStore(settings, properties.dataDir().resolve("s3-uploads"), space);
        }
        return new FileContentStore(properties.dataDir(), new FileContentStore.Settings("uploads", space, true));
    }
}
