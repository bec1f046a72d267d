package dev.berth.registry.storage;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Content-addressed blob bytes. A blob exists under a digest only if its bytes hash to it: new
 * bytes arrive as a {@link StagedBlob} and become a blob only through {@link StagedBlob#commit}.
 */
public interface BlobStore {

    /** The file holding a blob, if the blob is present. */
    Optional<Path> find(Digest digest);

    /** Opens a new staging file for an upload; {@code id} names it, so it can be found again. */
    StagedBlob stage(String id) throws IOException;

    /** Reopens the staging file of an upload started earlier, or empty when it is gone. */
    Optional<StagedBlob> resume(String id) throws IOException;

    /** How many bytes the staging file of an upload holds, or empty when it is gone; opens nothing. */
    Optional<Long> stagedSize(String id) throws IOException;

    /** Removes the staging file of an upload, if any. */
    void discard(String id) throws IOException;
}
