package dev.berth.registry.ui;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.oci.ManifestReference;
import dev.berth.registry.ui.ImagePages.ImagePage;
import dev.berth.registry.ui.ImagePages.Layer;
import dev.berth.registry.ui.layer.FileTree;
import dev.berth.registry.ui.layer.LayerIndex;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Builds the comparison of two tags: which layers they share, and how their file systems differ. */
@Component
class ComparePages {

    /** At most this many differing paths are listed; the counts always cover all of them. */
    static final int MAX_ROWS = 2000;

    /** One tag's image; {@code platform} is the one picked when the tag is an index, else null. */
    public record Side(String tag, ImagePage image, long size, String platform) {
    }

    /** {@code platforms}: what an index side offers to compare (empty when neither is an index). */
    public record ComparePage(Side a, Side b, List<Layer> shared, List<Layer> onlyA, List<Layer> onlyB,
                              List<FileTree.Difference> differences, long added, long changed, long removed,
                              long sizeDifference, String error, List<String> platforms) {
    }

    private final ImagePages images;
    private final LayerIndex index;

    ComparePages(ImagePages images, LayerIndex index) {
        this.images = images;
        this.index = index;
    }

    /** @param platform e.g. {@code linux/arm64}: the child compared when a tag is an index (null: its first) */
    ComparePage page(RepositoryName name, String tagA, String tagB, String platform) {
        ImagePage imageA = images.page(name, new ManifestReference.ByTag(Tag.of(tagA)));
        ImagePage imageB = images.page(name, new ManifestReference.ByTag(Tag.of(tagB)));
        Set<String> offered = new LinkedHashSet<>();
        for (ImagePage image : List.of(imageA, imageB)) {
            image.children().stream().filter(ImagePages.Child::stored).forEach(c -> offered.add(c.platform()));
        }
        List<String> platforms = List.copyOf(offered);
        String wanted = platform == null || platform.isBlank() ? null : platform.strip();
        Side a = side(name, tagA, imageA, wanted);
        Side b = side(name, tagB, imageB, wanted == null ? a.platform() : wanted);
        Set<String> inA = new HashSet<>(a.image().layers().stream().map(Layer::digest).toList());
        Set<String> inB = new HashSet<>(b.image().layers().stream().map(Layer::digest).toList());
        List<Layer> shared = a.image().layers().stream().filter(l -> inB.contains(l.digest())).toList();
        List<Layer> onlyA = a.image().layers().stream().filter(l -> !inB.contains(l.digest())).toList();
        List<Layer> onlyB = b.image().layers().stream().filter(l -> !inA.contains(l.digest())).toList();
        try {
            List<FileTree.Difference> diff = FileTree.diff(tree(name, a.image()), tree(name, b.image()));
            return new ComparePage(a, b, shared, onlyA, onlyB, diff.size() > MAX_ROWS ? diff.subList(0, MAX_ROWS) : diff,
                    count(diff, FileTree.Change.ADDED), count(diff, FileTree.Change.CHANGED), count(diff, FileTree.Change.DELETED),
                    b.size() - a.size(), null, platforms);
        } catch (LayerIndex.UnreadableLayerException e) {
            return new ComparePage(a, b, shared, onlyA, onlyB, List.of(), 0, 0, 0, b.size() - a.size(), e.getMessage(), platforms);
        }
    }

    /**
     * A tag's image; for an index, its child of {@code platform} stored here, or its first stored
     * child when it has none of that platform (the comparison is of one platform).
     */
    private Side side(RepositoryName name, String tag, ImagePage image, String platform) {
        if (!image.index()) {
            return new Side(tag, image, image.compressedSize(), null);
        }
        List<ImagePages.Child> stored = image.children().stream().filter(ImagePages.Child::stored).toList();
        ImagePages.Child child = stored.stream().filter(c -> c.platform().equals(platform)).findFirst()
                .or(() -> stored.stream().findFirst())
                .orElseThrow(() -> new NotFoundException("tag " + tag + " is an index with no platform stored here"));
        ImagePage chosen = images.page(name, new ManifestReference.ByDigest(Digest.of(child.digest())));
        return new Side(tag, chosen, chosen.compressedSize(), child.platform());
    }

    private FileTree tree(RepositoryName name, ImagePage image) {
        FileTree tree = new FileTree();
        for (Layer layer : image.layers()) {
            tree.apply(index.entries(name, Digest.of(layer.digest())));
        }
        return tree;
    }

    private static long count(List<FileTree.Difference> diff, FileTree.Change change) {
        return diff.stream().filter(d -> d.change() == change).count();
    }
}
