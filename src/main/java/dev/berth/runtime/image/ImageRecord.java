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
 * digest is the image id, as docker shows it), its layers, and the sum of its snapshots' unpacked
 * sizes ({@code unpackedSize}, -1 when unknown: a record written before sizes were recorded).
 */
public record ImageRecord(ImageReference reference, Digest resolved, Digest manifest, Digest config,
                          List<Descriptor> layers, Instant created, long unpackedSize) {

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

    /** The size docker shows: unpacked, or the layers' compressed sizes when that is unknown. */
    public long size() {
        return unpackedSize >= 0 ? unpackedSize : compressedSize();
    }

    /** The sum of the layers' (compressed) sizes. */
    public long compressedSize() {
        return layers.stream().mapToLong(Descriptor::size).sum();
    }
}
