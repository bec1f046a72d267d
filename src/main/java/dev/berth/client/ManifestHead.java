package dev.berth.client;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;

/** What a registry says a manifest reference resolves to: its digest, media type (null when not said) and size (-1 when not said). */
public record ManifestHead(Digest digest, MediaType mediaType, long size) {
}
