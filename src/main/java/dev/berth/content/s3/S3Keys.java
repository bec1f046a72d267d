package dev.berth.content.s3;

import dev.berth.content.StagingName;
import dev.berth.oci.Digest;
import dev.berth.oci.OciException;
import java.util.Optional;

/**
 * The store's key layout under its prefix: {@code blobs/<algorithm>/<2 hex>/<hex>} for blobs (as on
 * disk), {@code staging/<name>} for an upload's multipart object until it is verified, {@code probe}
 * for the health check. Digests and staging names admit no separator, so no input names another key.
 */
record S3Keys(String prefix) {

    String blob(Digest digest) {
        return blobs() + digest.algorithm().prefix() + "/" + digest.hex().substring(0, 2) + "/" + digest.hex();
    }

    String blobs() {
        return prefix + "blobs/";
    }

    String staging(StagingName name) {
        return stagingPrefix() + name.value();
    }

    String stagingPrefix() {
        return prefix + "staging/";
    }

    String probe() {
        return prefix + "probe";
    }

    /** The digest a key under {@link #blobs()} is the blob of, or empty for a key the store did not write. */
    Optional<Digest> digestOf(String key) {
        if (!key.startsWith(blobs())) {
            return Optional.empty();
        }
        String[] parts = key.substring(blobs().length()).split("/", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Digest digest = Digest.of(parts[0] + ":" + parts[2]);
            return blob(digest).equals(key) ? Optional.of(digest) : Optional.empty();
        } catch (OciException e) {
            return Optional.empty();
        }
    }
}
