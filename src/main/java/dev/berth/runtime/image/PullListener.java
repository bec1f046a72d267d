package dev.berth.runtime.image;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;

/** What a pull reports as it goes: the CLI draws progress from these. */
public interface PullListener {

    PullListener SILENT = new PullListener() {
    };

    default void resolved(ImageReference reference, Digest digest) {
    }

    default void layerExists(Descriptor layer) {
    }

    default void layerStarted(Descriptor layer) {
    }

    default void layerProgress(Descriptor layer, long bytes) {
    }

    default void layerDone(Descriptor layer) {
    }
}
