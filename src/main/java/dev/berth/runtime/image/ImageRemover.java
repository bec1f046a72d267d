package dev.berth.runtime.image;

import dev.berth.oci.Digest;
import dev.berth.runtime.content.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code rmi}: forgets an image and deletes the blobs no other image still uses. */
public final class ImageRemover {

    private final ContentStore content;
    private final ImageStore images;

    public ImageRemover(ContentStore content, ImageStore images) {
        this.content = content;
        this.images = images;
    }

    /** @return the blobs deleted */
    public List<Digest> remove(ImageRecord image) throws IOException {
        List<ImageRecord> left = images.remove(image.reference());
        Set<Digest> inUse = new HashSet<>();
        left.forEach(r -> inUse.addAll(r.blobs()));
        List<Digest> deleted = new ArrayList<>();
        for (Digest blob : image.blobs()) {
            if (!inUse.contains(blob) && content.has(blob)) {
                content.delete(blob);
                deleted.add(blob);
            }
        }
        return deleted;
    }
}
