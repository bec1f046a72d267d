package dev.berth.runtime.image;

import dev.berth.client.PulledManifest;
import dev.berth.client.RegistryClient;
import dev.berth.content.ContentStore;
import dev.berth.content.ContentWriter;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageReference;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.Platform;
import dev.berth.runtime.snapshot.SnapshotStore;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Pulls an image into the local store: the manifest (the platform's, when the reference names an
 * index), the config, then the layers not already present, three at a time, each unpacked into its
 * snapshot as it arrives ({@link LayerFetch}). Every blob is verified before it is kept: the config
 * by the client while it streams and by the content store, a layer by the client over the very bytes
 * written; a snapshot is kept only after its blob.
 */
public final class ImagePuller {

    static final int MAX_CONFIG_BYTES = 8 * 1024 * 1024;
    /** Layers fetched at once. */
    static final int PARALLEL = 3;
    static final Set<MediaType> LAYER_TYPES = Set.of(MediaType.OCI_LAYER_TAR, MediaType.OCI_LAYER_GZIP,
            MediaType.OCI_LAYER_ZSTD, MediaType.DOCKER_LAYER_GZIP);

    private final ContentStore content;
    private final ImageStore images;
    private final SnapshotStore snapshots;
    private final Function<String, RegistryClient> clients;

    /** @param clients a client for a registry, as named in references */
    public ImagePuller(ContentStore content, ImageStore images, SnapshotStore snapshots,
                       Function<String, RegistryClient> clients) {
        this.content = content;
        this.images = images;
        this.snapshots = snapshots;
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
            manifest = client.pullManifest(reference.repository(), new ManifestReference.ByDigest(chosen.digest()));
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
        List<Descriptor> layers = manifest.parsed().layers();
        long size = fetchLayers(new LayerFetch(content, snapshots, client, reference.repository(), listener), layers,
                config.diffIds());
        ImageRecord record = new ImageRecord(reference, top.digest(), manifest.digest(), configDescriptor.digest(),
                layers, config.created(), size);
        images.put(record);
        return record;
    }

    /**
     * Fetches and unpacks the layers, {@link #PARALLEL} at a time (as docker and podman do); the first
     * failure stops the others. Returns the image's unpacked size.
     */
    private long fetchLayers(LayerFetch fetch, List<Descriptor> layers, List<Digest> diffIds) throws IOException {
        List<Digest> chainIds = SnapshotStore.chainIds(diffIds);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL, layers.size())), r -> {
            Thread t = new Thread(r, "berth-pull");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<Long> done = new ExecutorCompletionService<>(pool);
            for (int i = 0; i < layers.size(); i++) {
                int n = i;
                done.submit(() -> fetch.fetch(layers.get(n), diffIds.get(n), chainIds.get(n)));
            }
            long size = 0;
            for (int i = 0; i < layers.size(); i++) {
                try {
                    size += done.take().get();
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    throw rethrow(e.getCause());
                }
            }
            return size;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pulling", e);
        } finally {
            pool.shutdownNow();
            awaitQuietly(pool);
        }
    }

    private static IOException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return cause instanceof IOException io ? io : new IOException(cause);
    }

    /** The others stop at their next read or write; their temporary files are gone once they have. */
    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fetch(RegistryClient client, ImageReference reference, Descriptor blob, PullListener listener) throws IOException {
        if (content.contains(blob.digest())) {
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
