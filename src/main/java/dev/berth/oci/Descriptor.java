package dev.berth.oci;

import java.util.Map;

/** A content descriptor: what a manifest says about a blob or a manifest it points at. */
public record Descriptor(MediaType mediaType, Digest digest, long size, String artifactType,
                         Map<String, String> annotations, Platform platform) {

    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
