package dev.berth.runtime.image;

import dev.berth.content.ContentStore;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.runtime.snapshot.SnapshotStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code rmi}: forgets an image and deletes the blobs and snapshots no other image (or container) uses. */
public final class ImageRemover {

    private final ContentStore content;
    private final ImageStore images;
    private final SnapshotStore snapshots;

    public ImageRemover(ContentStore content, ImageStore images, SnapshotStore snapshots) {
        this.content = content;
        this.images = images;
        this.snapshots = snapshots;
    }

    /**
     * @param keep snapshots to keep whatever images are left (those under containers' roots)
     * @return the blobs deleted
     */
    public List<Digest> remove(ImageRecord image, Set<Digest> keep) throws IOException {
        List<Digest> ownChains = chainIds(image);
        List<ImageRecord> left = images.remove(image.reference());
        Set<Digest> blobsInUse = new HashSet<>();
        Set<Digest> chainsInUse = new HashSet<>(keep);
        for (ImageRecord other : left) {
            blobsInUse.addAll(other.blobs());
            chainsInUse.addAll(chainIds(other));
        }
        for (Digest chain : ownChains) {
            if (!chainsInUse.contains(chain)) {
                snapshots.remove(chain);
            }
        }
        List<Digest> deleted = new ArrayList<>();
        for (Digest blob : image.blobs()) {
            if (!blobsInUse.contains(blob) && content.delete(blob)) {
                deleted.add(blob);
            }
        }
        return deleted;
    }

    private List<Digest> chainIds(ImageRecord image) throws IOException {
        if (!content.contains(image.config())) {
            return List.of();
        }
        return SnapshotStore.chainIds(ImageConfig.parse(content.read(image.config(), ImagePuller.MAX_CONFIG_BYTES)).diffIds());
    }
}
