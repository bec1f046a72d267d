package dev.berth.runtime.image;

import dev.berth.content.ContentStore;
import dev.berth.layer.ImageArchiveException;
import dev.berth.layer.LayerReader;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciException;
import dev.berth.oci.Platform;
import dev.berth.runtime.snapshot.PendingSnapshot;
import dev.berth.runtime.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code berth load}: the images of a docker-archive or OCI-archive tar into the local store. The
 * archive is read once into the content store ({@link ArchiveIngest}, every blob named by its digest
 * checked as it streams), its images found ({@link ArchiveImages}), and each layer unpacked into its
 * snapshot and checked against the config's diff id, as a pull does (a layer whose snapshot is here
 * already is read once more for its diff id instead). Only when every image checked out are they
 * named in the image index; before that, anything fails and the store is as it was: the blobs and
 * snapshots this load added are removed, images.json untouched.
 */
public final class ImageLoader {

    private final ContentStore content;
    private final ImageStore images;
    private final SnapshotStore snapshots;
    private final long maxUnpackedSize;

    public ImageLoader(ContentStore content, ImageStore images, SnapshotStore snapshots, long maxUnpackedSize) {
        this.content = content;
        this.images = images;
        this.snapshots = snapshots;
        this.maxUnpackedSize = maxUnpackedSize;
    }

    /** @return the images loaded, one record per name */
    public List<ImageRecord> load(InputStream archive, Platform platform) throws IOException {
        Set<Digest> addedBlobs = new LinkedHashSet<>();
        Set<Digest> addedSnapshots = new LinkedHashSet<>();
        boolean done = false;
        try {
            ArchiveIngest.Contents contents = new ArchiveIngest(content).read(archive, addedBlobs);
            List<ArchiveImages.Found> found = new ArchiveImages(content, platform).find(contents, addedBlobs);
            List<ImageRecord> records = new ArrayList<>();
            for (ArchiveImages.Found image : found) {
                records.addAll(check(image, addedSnapshots));
            }
            records.forEach(images::put);
            done = true;
            removeUnused(addedBlobs, records);
            return records;
        } finally {
            if (!done) {
                undo(addedBlobs, addedSnapshots);
            }
        }
    }

    private List<ImageRecord> check(ArchiveImages.Found image, Set<Digest> addedSnapshots) throws IOException {
        String what = "image " + image.manifest() + " of the archive";
        if (image.parsed().isIndex() || image.parsed().config() == null) {
            throw new ImageArchiveException(what + " is not an image manifest");
        }
        Descriptor configDescriptor = image.parsed().config();
        if (!configDescriptor.mediaType().equals(MediaType.OCI_CONFIG) && !configDescriptor.mediaType().equals(MediaType.DOCKER_CONFIG)) {
            throw new ImageArchiveException(what + " is not a container image (its config is " + configDescriptor.mediaType() + ")");
        }
        List<Descriptor> layers = image.parsed().layers();
        for (Descriptor blob : image.parsed().blobs().toList()) {
            if (blob != configDescriptor && !ImagePuller.LAYER_TYPES.contains(blob.mediaType())) {
                throw new ImageArchiveException(what + " has a layer of unsupported type " + blob.mediaType());
            }
            if (!content.contains(blob.digest())) {
                throw new ImageArchiveException(what + " needs blob " + blob.digest() + ", which the archive does not hold");
            }
            long size = content.require(blob.digest()).size();
            if (size != blob.size()) {
                throw new ImageArchiveException(what + ": blob " + blob.digest() + " is " + size + " bytes, the manifest says " + blob.size());
            }
        }
        ImageConfig config;
        try {
            config = ImageConfig.parse(content.read(configDescriptor.digest(), ImagePuller.MAX_CONFIG_BYTES));
        } catch (OciException e) {
            throw new ImageArchiveException(what + ": " + e.getMessage());
        }
        if (config.diffIds().size() != layers.size()) {
            throw new ImageArchiveException(what + ": the config lists " + config.diffIds().size() + " layers, the manifest " + layers.size());
        }
        List<Digest> chains = SnapshotStore.chainIds(config.diffIds());
        long size = 0;
        for (int i = 0; i < layers.size(); i++) {
            size += unpack(layers.get(i), config.diffIds().get(i), chains.get(i), addedSnapshots);
        }
        List<ImageRecord> out = new ArrayList<>();
        for (ImageReference name : image.names()) {
            out.add(new ImageRecord(name, image.resolved(), image.manifest(), configDescriptor.digest(), layers, config.created(), size));
        }
        return out;
    }

    /** Unpacks the layer into its snapshot, or checks its diff id when the snapshot is here; @return the snapshot's size */
    private long unpack(Descriptor layer, Digest diffId, Digest chainId, Set<Digest> addedSnapshots) throws IOException {
        if (snapshots.has(chainId)) {
            Digest actual;
            try (InputStream in = content.open(layer.digest());
                 LayerReader reader = LayerReader.openHashed(in, maxUnpackedSize, "--max-unpacked-size, BERTH_MAX_UNPACKED_SIZE")) {
                while (reader.next() != null) {
                    // entries are skipped; the hash covers every byte of the tar
                }
                reader.finish();
                actual = reader.diffId();
            }
            if (!actual.equals(diffId)) {
                throw new ImageArchiveException("layer " + layer.digest() + " unpacks to " + actual + ", but the image config says "
                        + diffId + "; refused");
            }
            return snapshots.size(chainId);
        }
        try (PendingSnapshot pending = snapshots.begin(chainId); InputStream in = content.open(layer.digest())) {
            pending.unpack(layer.digest(), in);
            try {
                pending.commit(diffId, layer.digest().toString());
            } catch (IllegalStateException e) {
                throw new ImageArchiveException(e.getMessage());
            }
            addedSnapshots.add(chainId);
        }
        return snapshots.size(chainId);
    }

    /** Blobs the archive held that no image uses (docker's old {@code <id>/json} files and the like). */
    private void removeUnused(Set<Digest> added, List<ImageRecord> loaded) throws IOException {
        Set<Digest> used = new HashSet<>();
        loaded.forEach(r -> used.addAll(r.blobs()));
        for (Digest blob : added) {
            if (!used.contains(blob)) {
                content.delete(blob);
            }
        }
    }

    private void undo(Set<Digest> blobs, Set<Digest> chains) {
        Set<Digest> inUse = new HashSet<>();
        images.list().forEach(r -> inUse.addAll(r.blobs()));
        for (Digest chain : chains) {
            try {
                snapshots.remove(chain);
            } catch (IOException | RuntimeException ignored) {
                // the load's own failure is what the user needs to see
            }
        }
        for (Digest blob : blobs) {
            if (!inUse.contains(blob)) {
                try {
                    content.delete(blob);
                } catch (IOException | RuntimeException ignored) {
                    // as above
                }
            }
        }
    }
}
