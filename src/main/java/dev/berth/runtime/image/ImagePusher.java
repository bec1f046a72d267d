package dev.berth.runtime.image;

import dev.berth.client.RegistryClient;
import dev.berth.client.UploadStart;
import dev.berth.content.ContentStore;
import dev.berth.content.StoredBlob;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageReference;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.ParsedManifest;
import dev.berth.oci.RepositoryName;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Pushes a local image to a registry as docker does: the layers (three at a time), then the
 * config, each unless the repository has it already ({@code HEAD}); else mounted from another repository of that registry
 * that a local image holding the blob names; else uploaded, streamed from the content store.
 * Then the manifest, its exact bytes as pulled or loaded, so its digest stays the same.
 */
public final class ImagePusher {

    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private final ContentStore content;
    private final ImageStore images;
    private final Function<String, RegistryClient> clients;

    public ImagePusher(ContentStore content, ImageStore images, Function<String, RegistryClient> clients) {
        this.content = content;
        this.images = images;
        this.clients = clients;
    }

    /** @return the digest of the manifest pushed */
    public Digest push(ImageRecord image, ImageReference target, PushListener listener) throws IOException {
        RegistryClient client = clients.apply(target.registry());
        byte[] manifestBytes = content.read(image.manifest(), MAX_MANIFEST_BYTES);
        ParsedManifest manifest = ManifestParser.parse(manifestBytes, null);
        if (manifest.isIndex() || manifest.config() == null) {
            throw new OciException(OciErrorCode.MANIFEST_INVALID, image.reference() + ": the local manifest is not an image manifest");
        }
        List<Digest> diffIds = ImageConfig.parse(content.read(manifest.config().digest(), ImagePuller.MAX_CONFIG_BYTES)).diffIds();
        List<Descriptor> layers = manifest.layers();
        for (int i = 0; i < layers.size(); i++) {
            listener.layerStarted(layers.get(i), i < diffIds.size() ? diffIds.get(i) : layers.get(i).digest());
        }
        pushLayers(client, target, layers, listener);
        pushBlob(client, target, manifest.config(), PushListener.SILENT);
        ManifestReference reference = target.tag() != null ? new ManifestReference.ByTag(target.tag())
                : new ManifestReference.ByDigest(image.manifest());
        Digest pushed = client.pushManifest(target.repository(), reference, manifest.mediaType(), manifestBytes);
        listener.pushed(target, pushed, manifestBytes.length);
        return pushed;
    }

    /** The layers, {@link ImagePuller#PARALLEL} at a time (docker pushes several at once too); the first failure stops the others. */
    private void pushLayers(RegistryClient client, ImageReference target, List<Descriptor> layers, PushListener listener)
            throws IOException {
        if (layers.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(ImagePuller.PARALLEL, layers.size()), r -> {
            Thread t = new Thread(r, "berth-push");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<Void> done = new ExecutorCompletionService<>(pool);
            for (Descriptor layer : layers) {
                done.submit(() -> {
                    pushBlob(client, target, layer, listener);
                    return null;
                });
            }
            for (int i = 0; i < layers.size(); i++) {
                try {
                    done.take().get();
                } catch (ExecutionException e) {
                    pool.shutdownNow();
                    throw rethrow(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pushing", e);
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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

    private void pushBlob(RegistryClient client, ImageReference target, Descriptor blob, PushListener listener) throws IOException {
        StoredBlob stored = content.require(blob.digest());
        if (stored.size() != blob.size()) {
            throw new OciException(OciErrorCode.SIZE_INVALID, "blob " + blob.digest() + " is " + stored.size()
                    + " bytes in the local store, the manifest says " + blob.size());
        }
        RepositoryName repository = target.repository();
        if (client.hasBlob(repository, blob.digest())) {
            listener.layerExists(blob);
            return;
        }
        Optional<RepositoryName> source = mountSource(target, blob.digest());
        UploadStart start = client.startUpload(repository, blob.digest(), source);
        if (start.mounted()) {
            listener.layerMounted(blob, source.orElseThrow());
            return;
        }
        client.uploadBlob(repository, start, blob, stored::stream, bytes -> listener.layerProgress(blob, bytes));
        listener.layerPushed(blob);
    }

    /** Another repository on the same registry that a local image holding this blob is named in (pulled from, or tagged for). */
    private Optional<RepositoryName> mountSource(ImageReference target, Digest blob) {
        return images.list().stream()
                .filter(r -> r.reference().registry().equals(target.registry()))
                .filter(r -> !r.reference().repository().equals(target.repository()))
                .filter(r -> r.config().equals(blob) || r.layers().stream().anyMatch(l -> l.digest().equals(blob)))
                .map(r -> r.reference().repository())
                .findFirst();
    }
}
