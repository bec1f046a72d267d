package dev.berth.it;

import java.nio.file.Path;
import java.util.List;

/**
 * An image written to an OCI image layout directory, with what a round trip must preserve.
 *
 * @param layout         the OCI layout directory
 * @param tag            its tag inside the layout
 * @param manifest       the manifest's exact bytes
 * @param manifestDigest {@code sha256:…} of {@link #manifest}
 * @param configDigest   the config blob's digest
 * @param layerDigests   the (gzipped) layer digests, base first
 * @param largestLayerSize size of the biggest layer blob (the busybox one)
 */
record TestImage(Path layout, String tag, byte[] manifest, String manifestDigest, String configDigest,
                 List<String> layerDigests, long largestLayerSize) {

    /** A containers-image reference: {@code oci:DIR:TAG}. */
    String ociReference() {
        return "oci:" + layout + ":" + tag;
    }

    /** Every blob of the image: config, then layers. */
    List<String> blobDigests() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(configDigest), layerDigests.stream()).toList();
    }
}
