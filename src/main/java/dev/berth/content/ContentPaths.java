package dev.berth.content;

import dev.berth.oci.Digest;
import java.nio.file.Path;

/**
 * The layout of a {@link FileContentStore}, in one place:
 * <pre>
 * ROOT/
 *   blobs/&lt;alg&gt;/&lt;first 2 hex&gt;/&lt;hex&gt;   committed blobs, named by their digest
 *   &lt;staging&gt;/&lt;name&gt;                  staged bytes (the registry's uploads/, the runtime's ingest/)
 * </pre>
 * Paths are only ever built from a {@link Digest} (lower-case hex) or a {@link StagingName},
 * whose grammars admit no separator, so nothing can name a file outside these directories.
 */
final class ContentPaths {

    private final Path root;
    private final Path blobs;
    private final Path staging;

    ContentPaths(Path root, String stagingDirectory) {
        this.root = root.toAbsolutePath().normalize();
        this.blobs = this.root.resolve("blobs");
        this.staging = this.root.resolve(StagingName.of(stagingDirectory).value());
    }

    Path root() {
        return root;
    }

    Path blobs() {
        return blobs;
    }

    Path staging() {
        return staging;
    }

    Path algorithm(Digest.Algorithm algorithm) {
        return blobs.resolve(algorithm.prefix());
    }

    /** The directory a blob is in: 256 per algorithm, so no directory holds more than a 256th of the blobs. */
    Path fanOut(Digest digest) {
        return algorithm(digest.algorithm()).resolve(digest.hex().substring(0, 2));
    }

    Path blob(Digest digest) {
        return fanOut(digest).resolve(digest.hex());
    }

    Path staged(StagingName name) {
        return staging.resolve(name.value());
    }
}
