package dev.berth.registry.storage;

import dev.berth.oci.Digest;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The on-disk layout, in one place:
 * <pre>
 * DATA_DIR/
 *   blobs/&lt;alg&gt;/&lt;first 2 hex&gt;/&lt;hex&gt;   committed blobs, named by their digest
 *   uploads/&lt;id&gt;                      bytes of unfinished uploads
 *   db/                                the embedded H2 database (when H2 is used)
 * </pre>
 * Paths are only ever built from a {@link Digest} (lower-case hex) or an upload id that matched
 * {@link #UPLOAD_ID}, so no request can name a file outside these directories.
 */
final class BlobPaths {

    static final Pattern UPLOAD_ID = Pattern.compile("[a-f0-9-]{36}");

    private final Path blobs;
    private final Path uploads;

    BlobPaths(Path dataDir) {
        Path root = dataDir.toAbsolutePath().normalize();
        this.blobs = root.resolve("blobs");
        this.uploads = root.resolve("uploads");
    }

    Path blobsRoot() {
        return blobs;
    }

    Path uploadsRoot() {
        return uploads;
    }

    Path blob(Digest digest) {
        return blobs.resolve(digest.algorithm().prefix()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    Path upload(String id) {
        if (!UPLOAD_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not an upload id: " + id);
        }
        return uploads.resolve(id);
    }
}
