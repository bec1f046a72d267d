package dev.berth.registry.storage;

import dev.berth.content.ContentStore;
import dev.berth.registry.RegistryProperties;

/** The registry's blob store opened as the server opens it ({@link BlobStorage#open}), for slice tests outside this package. */
public final class RegistryBlobStore {

    private RegistryBlobStore() {
    }

    /** The store on {@code properties.dataDir()}, with the free-space reserve {@code properties} set. */
    public static ContentStore open(RegistryProperties properties) {
        return BlobStorage.open(properties, new StorageSpace(properties));
    }
}
