package dev.berth.runtime.image;

import dev.berth.client.PulledManifest;
import dev.berth.client.RegistryClient;
import dev.berth.oci.Descriptor;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.Platform;
import dev.berth.runtime.content.ContentStore;
import dev.berth.runtime.content.ContentWriter;
import java.io.IOException;
import java.util.Set;
import java.util.function.Function;

/**
 * Pulls an image into the local store: the manifest (the platform's, when the reference names an
 * index), the config, then each layer not already present. Every blob is verified twice: by the
 * client while it streams and by the content store before it is kept.
 */
public final class ImagePuller {

    static final int MAX_CONFIG_BYTES = 8 * 1024 * 1024;
    static final Set<MediaType> LAYER_TYPES = Set.of(MediaType.OCI_LAYER_TAR, MediaType.OCI_LAYER_GZIP,
            MediaType.OCI_LAYER_ZSTD, MediaType.DOCKER_LAYER_GZIP);

    private final ContentStore content;
    private final ImageStore images;
    private final Function<String, RegistryClient> clients;

    /** @param clients a client for a registry, as named in references */
    public ImagePuller(ContentStore content, ImageStore images, Function<String, RegistryClient> clients) {
        this.content = content;
        this.images = images;
        this.clients = clients;
    }

    public ImageRecord pull(ImageReference reference, Platform platform, PullListener listener) throws IOException {
        RegistryClient client = clients.apply(reference.registry());
        PulledManifest top = client.pullManifest(reference.repository(), reference.manifestReference());
        listener.resolved(reference, top.digest());
        content.put(top.digest(), top.bytes());
        PulledManifest manifest = top;
        if (top.parsed().isIndex()) {
            Descriptor chosen = RegistryClient.selectPlatform(top.parsed(), platform, reference.toString());
            manifest = client.pullManifest(reference.repository(), chosen.digest().toString());
            if (manifest.parsed().isIndex()) {
                throw new OciException(OciErrorCode.MANIFEST_INVALID, reference + ": an index inside an index is not supported");
            }
            content.put(manifest.digest(), manifest.bytes());
        }
        Descriptor configDescriptor = manifest.parsed().config();
        if (!configDescriptor.mediaType().equals(MediaType.OCI_CONFIG) && !configDescriptor.mediaType().equals(MediaType.DOCKER_CONFIG)) {
            throw new OciException(OciErrorCode.MANIFEST_INVALID, reference + " is not a container image (its config is "
                    + configDescriptor.mediaType() + ")");
        }
        for (Descriptor layer : manifest.parsed().layers()) {
            if (!LAYER_TYPES.contains(layer.mediaType())) {
                throw new OciException(OciErrorCode.MANIFEST_INVALID, reference + " has a layer of unsupported type "
                        + layer.mediaType());
            }
        }
        fetch(client, reference, configDescriptor, PullListener.SILENT);
        ImageConfig config = ImageConfig.parse(content.read(configDescriptor.digest(), MAX_CONFIG_BYTES));
        if (config.diffIds().size() != manifest.parsed().layers().size()) {
            throw new OciException(OciErrorCode.MANIFEST_INVALID, reference + ": the config lists " + config.diffIds().size()
                    + " layers, the manifest " + manifest.parsed().layers().size());
        }
        for (Descriptor layer : manifest.parsed().layers()) {
            if (content.has(layer.digest())) {
                listener.layerExists(layer);
            } else {
                fetch(client, reference, layer, listener);
            }
        }
        ImageRecord record = new ImageRecord(reference, top.digest(), manifest.digest(), configDescriptor.digest(),
                manifest.parsed().layers(), config.created());
        images.put(record);
        return record;
    }

    private void fetch(RegistryClient client, ImageReference reference, Descriptor blob, PullListener listener) throws IOException {
        if (content.has(blob.digest())) {
            return;
        }
        listener.layerStarted(blob);
        try (ContentWriter writer = content.writer(blob.digest(), blob.size())) {
            client.pullBlob(reference.repository(), blob, writer, bytes -> listener.layerProgress(blob, bytes));
            writer.commit();
        }
        listener.layerDone(blob);
    }
}
