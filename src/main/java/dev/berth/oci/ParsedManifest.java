package dev.berth.oci;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the registry needs to know of a manifest or index: its type, what it points at and what
 * it is about ({@code subject}). The bytes themselves are kept elsewhere, exactly as pushed.
 */
public record ParsedManifest(MediaType mediaType, Descriptor config, List<Descriptor> layers,
                             List<Descriptor> manifests, Descriptor subject, String artifactType,
                             Map<String, String> annotations) {

    public ParsedManifest {
        layers = List.copyOf(layers);
        manifests = List.copyOf(manifests);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public boolean isIndex() {
        return mediaType.isIndex();
    }

    /** The blobs this manifest needs in its repository: config and layers (none for an index). */
    public Stream<Descriptor> blobs() {
        return config == null ? layers.stream() : Stream.concat(Stream.of(config), layers.stream());
    }

    /**
     * The artifact type the referrers API reports for this manifest: {@code artifactType}, or else
     * the config's media type (OCI spec, "Listing Referrers").
     */
    public String effectiveArtifactType() {
        if (artifactType != null) {
            return artifactType;
        }
        return config == null ? null : config.mediaType().value();
    }
}
