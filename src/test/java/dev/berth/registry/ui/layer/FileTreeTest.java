package dev.berth.registry.ui.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.berth.registry.ui.layer.FileTree.Change;
import dev.berth.testing.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileTreeTest {

    private static final TarBuilder BASE = new TarBuilder()
            .dir("etc").file("etc/os-release", "debian")
            .dir("var").dir("var/cache").dir("var/cache/apt").file("var/cache/apt/pkgcache.bin", "0123456789")
            .dir("opt").dir("opt/app").file("opt/app/old.jar", "old").file("opt/app/keep.txt", "k")
            .file("bin/busybox", "BUSYBOX").symlink("bin/sh", "busybox").hardlink("bin/ls", "bin/busybox");

    @Test
    void aWhiteoutDeletesThePathAndEverythingBelowIt() {
        FileTree tree = new FileTree();
        tree.apply(entries(BASE));

        Map<String, Change> changes = tree.apply(entries(new TarBuilder().whiteout("var/cache/apt")));

        assertThat(changes).containsExactly(Map.entry("var/cache/apt", Change.DELETED));
        assertThat(tree.entries()).doesNotContainKeys("var/cache/apt", "var/cache/apt/pkgcache.bin").containsKey("var/cache");
    }

    @Test
    void anOpaqueDirectoryHidesWhatWasBelowButKeepsItsOwnLayersFiles() {
        FileTree tree = new FileTree();
        tree.apply(entries(BASE));

        Map<String, Change> changes = tree.apply(entries(new TarBuilder().dir("opt/app").opaque("opt/app").file("opt/app/new.jar", "new")));

        assertThat(tree.entries().subMap("opt/app/", "opt/app0").keySet()).containsExactly("opt/app/new.jar");
        assertThat(changes).containsEntry("opt/app", Change.OPAQUE).containsEntry("opt/app/new.jar", Change.ADDED);
    }

    @Test
    void tellsAddedFromChangedAndIgnoresARelistedDirectory() {
        FileTree tree = new FileTree();
        tree.apply(entries(BASE));

        Map<String, Change> changes = tree.apply(entries(new TarBuilder().dir("etc").file("etc/os-release", "alpine").file("etc/motd", "hi")));

        assertThat(changes).containsExactly(Map.entry("etc/os-release", Change.CHANGED), Map.entry("etc/motd", Change.ADDED));
    }

    @Test
    void aHardLinkShowsItsTargetsSizeAndASymlinkItsTarget() {
        FileTree tree = new FileTree();
        tree.apply(entries(BASE));

        List<FileTree.Node> bin = FileTree.children(tree.entries(), "bin", Map.of());

        assertThat(bin).extracting(FileTree.Node::name).containsExactly("busybox", "ls", "sh");
        assertThat(tree.sizeOf(tree.entries().get("bin/ls"))).isEqualTo(7);
        assertThat(tree.entries().get("bin/sh").linkTarget()).isEqualTo("busybox");
    }

    @Test
    void listsOneDirectoryWithImpliedDirectoriesSizesAndDeletedRows() {
        FileTree tree = new FileTree();
        tree.apply(entries(BASE));
        Map<String, Change> changes = tree.apply(entries(new TarBuilder().whiteout("etc/os-release").file("usr/share/doc/README", "12345")));

        List<FileTree.Node> root = FileTree.children(tree.entries(), "", changes);
        List<FileTree.Node> etc = FileTree.children(tree.entries(), "etc", changes);

        // usr has no entry of its own: it is implied by the file below it.
        assertThat(root).extracting(FileTree.Node::name, FileTree.Node::directory, FileTree.Node::totalSize, FileTree.Node::changesBelow)
                .containsExactly(tuple("bin", true, 7L, 0), tuple("etc", true, 0L, 1), tuple("opt", true, 4L, 0),
                        tuple("usr", true, 5L, 1), tuple("var", true, 10L, 0));
        assertThat(etc).extracting(FileTree.Node::name, FileTree.Node::change)
                .containsExactly(tuple("os-release", Change.DELETED));
    }

    @Test
    void diffsTwoImages() {
        FileTree before = new FileTree();
        before.apply(entries(BASE));
        FileTree after = new FileTree();
        after.apply(entries(BASE));
        after.apply(entries(new TarBuilder().whiteout("opt/app/old.jar").file("etc/os-release", "trixie").dir("srv")));

        assertThat(FileTree.diff(before, after)).extracting(FileTree.Difference::path, FileTree.Difference::change)
                .containsExactly(tuple("etc/os-release", Change.CHANGED), tuple("opt/app/old.jar", Change.DELETED),
                        tuple("srv", Change.ADDED));
    }

    static List<LayerEntry> entries(TarBuilder layer) {
        List<LayerEntry> out = new ArrayList<>();
        try {
            LayerListing.read(new ByteArrayInputStream(layer.gzip()), out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
