package dev.berth.client;

import java.io.IOException;
import java.io.InputStream;

/** Reads a blob's bytes as they arrive (see {@link RegistryClient#pullBlob(dev.berth.oci.RepositoryName,
 * dev.berth.oci.Descriptor, BlobConsumer, java.util.function.LongConsumer)}). */
@FunctionalInterface
public interface BlobConsumer {

    void accept(InputStream blob) throws IOException;
}
