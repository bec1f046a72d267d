package dev.berth.runtime.image;

import dev.berth.client.RegistryClient;
import dev.berth.layer.TeeInputStream;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.runtime.content.ContentStore;
import dev.berth.runtime.content.ContentWriter;
import dev.berth.runtime.snapshot.PendingSnapshot;
import dev.berth.runtime.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;

/**
 * One layer of a pull, in one pass over its bytes as they arrive: each chunk is written to the
 * content store's ingest file and goes on through decompression and untar into a pending snapshot.
 * The blob is renamed into the store once the client has checked its size and digest (the bytes it
 * hashed are the bytes written: one hash, not two), and the snapshot after that, once its diff id
 * matches the config's.
 * Anything that fails leaves neither. A layer whose blob is already here is unpacked from it; one
 * whose snapshot is here too is skipped.
 */
final class LayerFetch {

    private final ContentStore content;
    private final SnapshotStore snapshots;
    private final RegistryClient client;
    private final RepositoryName repository;
    private final PullListener listener;

    LayerFetch(ContentStore content, SnapshotStore snapshots, RegistryClient client, RepositoryName repository,
               PullListener listener) {
        this.content = content;
        this.snapshots = snapshots;
        this.client = client;
        this.repository = repository;
        this.listener = listener;
    }

    /** @return the size of the layer's snapshot */
    long fetch(Descriptor layer, Digest diffId, Digest chainId) throws IOException {
        boolean haveBlob = content.has(layer.digest());
        boolean haveSnapshot = snapshots.has(chainId);
        if (haveBlob && haveSnapshot) {
            listener.layerExists(layer);
            return snapshots.size(chainId);
        }
        if (haveBlob) {
            listener.layerExists(layer);
            try (PendingSnapshot pending = snapshots.begin(chainId); InputStream in = content.open(layer.digest())) {
                pending.unpack(layer.digest(), in);
                pending.commit(diffId, layer.digest().toString());
            }
            return snapshots.size(chainId);
        }
        listener.layerStarted(layer);
        // The client hashes every byte the tee passes on, and pullBlob returns only once the digest checked.
        try (ContentWriter writer = content.writerVerifiedByCaller(layer.digest(), layer.size());
             PendingSnapshot pending = haveSnapshot ? null : snapshots.begin(chainId)) {
            client.pullBlob(repository, layer, in -> {
                InputStream tee = new TeeInputStream(in, writer);
                if (pending != null) {
                    pending.unpack(layer.digest(), tee);
                }
                tee.transferTo(java.io.OutputStream.nullOutputStream());
            }, bytes -> listener.layerProgress(layer, bytes));
            writer.commit();
            if (pending != null) {
                pending.commit(diffId, layer.digest().toString());
            }
        }
        listener.layerDone(layer);
        return snapshots.size(chainId);
    }
}
