package dev.berth.registry.metadata;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import java.time.Instant;

/**
 * A manifest or index as one repository stores it, with the exact bytes the client pushed.
 *
 * @param artifactType the artifact type the referrers API reports: the manifest's own, else its config's media type (may be null)
 */
public record StoredManifest(long id, Digest digest, MediaType mediaType, String artifactType, long size, byte[] content,
                             Instant pushedAt) {
}
