package dev.berth.runtime.image;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.RepositoryName;

/** What a push reports as it goes: the CLI draws docker's push lines from these. Layers only; the config is silent. */
public interface PushListener {

    PushListener SILENT = new PushListener() {
    };

    /** @param diffId the layer's uncompressed digest, which docker's push lines name it by */
    default void layerStarted(Descriptor layer, Digest diffId) {
    }

    default void layerProgress(Descriptor layer, long bytes) {
    }

    default void layerExists(Descriptor layer) {
    }

    default void layerMounted(Descriptor layer, RepositoryName from) {
    }

    default void layerPushed(Descriptor layer) {
    }

    /** The manifest is in place: {@code size} bytes with this digest. */
    default void pushed(ImageReference target, Digest manifest, long size) {
    }
}
