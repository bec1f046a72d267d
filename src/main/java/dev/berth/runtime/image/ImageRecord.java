package dev.berth.runtime.image;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A pulled image in the local index: the reference it was pulled by, the digest that reference
 * resolved to ({@code resolved}: an index or a manifest), the platform's manifest, its config (whose
 * digest is the image id, as docker shows it) and its layers.
 */
public record ImageRecord(ImageReference reference, Digest resolved, Digest manifest, Digest config,
                          List<Descriptor> layers, Instant created) {

    public ImageRecord {
        layers = List.copyOf(layers);
    }

    /** The blobs this image needs in the local store. */
    public Set<Digest> blobs() {
        Set<Digest> out = new LinkedHashSet<>();
        out.add(resolved);
        out.add(manifest);
        out.add(config);
        layers.forEach(l -> out.add(l.digest()));
        return out;
    }

    /** The image id: the config digest. */
    public Digest id() {
        return config;
    }

    /** The sum of the layers' (compressed) sizes. */
    public long size() {
        return layers.stream().mapToLong(Descriptor::size).sum();
    }
}
