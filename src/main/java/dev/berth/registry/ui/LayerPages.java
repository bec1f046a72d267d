package dev.berth.registry.ui;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.ManifestReference;
import dev.berth.registry.ui.ImagePages.ImagePage;
import dev.berth.registry.ui.ImagePages.Layer;
import dev.berth.registry.ui.ImagePages.Step;
import dev.berth.registry.ui.layer.FileTree;
import dev.berth.registry.ui.layer.LayerEntry;
import dev.berth.registry.ui.layer.LayerEntry.EntryKind;
import dev.berth.registry.ui.layer.LayerIndex;
import dev.berth.registry.ui.layer.LayerListing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** Builds the layer browser: one directory of a layer, or of the whole image at that layer. */
@Component
class LayerPages {

    /** Rows of one directory per page: a directory of 100,000 entries renders 1,000 at a time. */
    static final int PAGE_SIZE = 1000;

    /** A link in the path above the listing. */
    public record Crumb(String name, String href) {
    }

    public record LayerPage(ImagePage image, Layer layer, Step step, String view, String dir, List<Crumb> crumbs,
                            List<FileRow> rows, long added, long changed, long deleted, List<String> deletedPaths,
                            long imageFiles, long imageBytes, String error, int entries, int page, int pages) {
    }

    private final ImagePages images;
    private final LayerIndex index;
    private final Format fmt;

    LayerPages(ImagePages images, LayerIndex index, Format fmt) {
        this.images = images;
        this.index = index;
        this.fmt = fmt;
    }

    /**
     * @param view "layer" for the files this layer holds, "image" for the merged tree at this layer
     * @return null when the image has no such layer
     */
    LayerPage page(RepositoryName name, Digest manifest, int layerIndex, String view, String dir, int pageNo) {
        ImagePage image = images.page(name, new ManifestReference.ByDigest(manifest));
        if (image.index() || layerIndex < 0 || layerIndex >= image.layers().size()) {
            return null;
        }
        Layer layer = image.layers().get(layerIndex);
        Step step = image.steps().stream().filter(s -> s.layer() != null && s.layer().index() == layerIndex).findFirst().orElse(null);
        String cleanDir = LayerListing.directory(dir);
        boolean imageView = "image".equals(view);
        String shownView = imageView ? "image" : "layer";
        List<Crumb> crumbs = crumbs(name.value(), manifest.toString(), layerIndex, shownView, cleanDir);

        FileTree tree = new FileTree();
        Map<String, FileTree.Change> changes;
        FileTree layerOnly = new FileTree();
        try {
            for (int i = 0; i < layerIndex; i++) {
                tree.apply(index.entries(name, Digest.of(image.layers().get(i).digest())));
            }
            var entries = index.entries(name, Digest.of(layer.digest()));
            changes = tree.apply(entries);
            layerOnly.apply(entries.stream().filter(e -> e.kind() != EntryKind.WHITEOUT).toList());
        } catch (LayerIndex.UnreadableLayerException e) {
            return new LayerPage(image, layer, step, shownView, cleanDir, crumbs, List.of(), 0, 0, 0, List.of(), 0, 0, e.getMessage(),
                    0, 1, 1);
        }
        FileTree shown = imageView ? tree : layerOnly;
        List<FileTree.Node> children = FileTree.children(shown.entries(), cleanDir, changes);
        int pages = Math.max(1, (children.size() + PAGE_SIZE - 1) / PAGE_SIZE);
        int current = Math.min(Math.max(pageNo, 1), pages);
        List<FileRow> rows = new ArrayList<>();
        for (FileTree.Node node : children.subList((current - 1) * PAGE_SIZE, Math.min(children.size(), current * PAGE_SIZE))) {
            rows.add(FileRow.of(node, tree, fmt, Links.INSTANCE.layer(name.value(), manifest.toString(), layerIndex, shownView, node.path())));
        }
        long added = changes.values().stream().filter(c -> c == FileTree.Change.ADDED).count();
        long changed = changes.values().stream().filter(c -> c == FileTree.Change.CHANGED).count();
        List<String> deletedPaths = changes.entrySet().stream()
                .filter(c -> c.getValue() == FileTree.Change.DELETED || c.getValue() == FileTree.Change.OPAQUE)
                .map(c -> c.getValue() == FileTree.Change.OPAQUE ? c.getKey() + "/ (everything below, from earlier layers)" : c.getKey())
                .toList();
        long files = tree.entries().values().stream().filter(e -> e.kind() == EntryKind.FILE).count();
        long bytes = tree.entries().values().stream().filter(e -> e.kind() == EntryKind.FILE)
                .mapToLong(LayerEntry::size).sum();
        return new LayerPage(image, layer, step, shownView, cleanDir, crumbs, rows, added, changed, deletedPaths.size(),
                deletedPaths, files, bytes, null, children.size(), current, pages);
    }

    private static List<Crumb> crumbs(String name, String manifest, int layer, String view, String dir) {
        List<Crumb> crumbs = new ArrayList<>();
        crumbs.add(new Crumb("root", Links.INSTANCE.layer(name, manifest, layer, view, "")));
        if (dir.isEmpty()) {
            return crumbs;
        }
        StringBuilder path = new StringBuilder();
        for (String part : dir.split("/")) {
            path.append(path.isEmpty() ? "" : "/").append(part);
            crumbs.add(new Crumb(part, Links.INSTANCE.layer(name, manifest, layer, view, path.toString())));
        }
        return crumbs;
    }
}
