package dev.berth.runtime.snapshot;

import dev.berth.oci.Digest;
import dev.berth.runtime.unpack.LayerUnpacker;
import dev.berth.runtime.unpack.UnpackedLayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A layer being unpacked into {@code snapshots/tmp-<uuid>}: {@link #commit} checks its diff id and
 * renames it into place as the snapshot of its chain, with its size beside it; {@link #close}
 * without a commit deletes it. The caller commits only after the blob it came from checked out, so
 * a snapshot is never made of bytes that were not the layer.
 */
public final class PendingSnapshot implements AutoCloseable {

    private final SnapshotStore store;
    private final Digest chainId;
    private final Path tmp;
    private final LayerUnpacker unpacker;
    private UnpackedLayer unpacked;

    PendingSnapshot(SnapshotStore store, Digest chainId, Path tmp, LayerUnpacker unpacker) {
        this.store = store;
        this.chainId = chainId;
        this.tmp = tmp;
        this.unpacker = unpacker;
    }

    /** Unpacks the layer (tar, gzip or zstd); may be called once. @param digest the layer's, for messages */
    public UnpackedLayer unpack(Digest digest, InputStream layer) throws IOException {
        if (unpacked != null) {
            throw new IllegalStateException("already unpacked");
        }
        unpacked = unpacker.unpack(digest, layer, tmp);
        return unpacked;
    }

    /** Makes the snapshot, or fails (and keeps nothing) when the layer is not the one the image config names. */
    public Path commit(Digest diffId, String layer) throws IOException {
        if (unpacked == null) {
            throw new IllegalStateException("nothing unpacked");
        }
        if (!unpacked.diffId().equals(diffId)) {
            throw new IllegalStateException("layer " + layer + " unpacks to " + unpacked.diffId()
                    + ", but the image config says " + diffId + "; refused");
        }
        Path snapshot = store.path(chainId);
        store.writeSize(chainId, unpacked.size());
        try {
            Files.move(tmp, snapshot);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
            // Another berth unpacked the same layer first: its copy is as good as ours.
        }
        return snapshot;
    }

    @Override
    public void close() throws IOException {
        SnapshotStore.deleteTree(tmp);
    }
}
