package dev.berth.client;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.ParsedManifest;

/** A manifest or index as the registry sent it: the exact bytes, their digest, and what they say. */
public record PulledManifest(byte[] bytes, MediaType mediaType, Digest digest, ParsedManifest parsed) {
}
