package dev.berth.runtime.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.security.auth.module.UnixSystem;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.runtime.content.ContentStore;
import dev.berth.runtime.unpack.LayerUnpacker;
import dev.berth.testing.GzipBomb;
import dev.berth.testing.Requirements;
import dev.berth.testing.TestLayer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots unpacked for real, as any user, and mounted with overlayfs, as root. */
class SnapshotStoreTest {

    private static final boolean ROOT = new UnixSystem().getUid() == 0;

    @TempDir
    Path root;

    private ContentStore content;
    private SnapshotStore snapshots;
    private Path mounted;

    @BeforeEach
    void setUp() {
        content = new ContentStore(root);
        snapshots = new SnapshotStore(root, new LayerUnpacker(ROOT));
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null && OverlayRootfs.isMounted(mounted)) {
            OverlayRootfs.unmount(mounted);
        }
    }

    private Descriptor store(byte[] blob) throws Exception {
        Digest d = Digest.sha256(blob);
        content.put(d, blob);
        return new Descriptor(MediaType.OCI_LAYER_GZIP, d, blob.length, null, null, null);
    }

    @Test
    void chainIdsFollowTheOciDefinition() {
        Digest a = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
        Digest b = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));

        List<Digest> chain = SnapshotStore.chainIds(List.of(a, b));

        assertThat(chain.get(0)).isEqualTo(a);
        assertThat(chain.get(1)).isEqualTo(Digest.sha256((a + " " + b).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void layersAreUnpackedOnceAndMergeWithWhiteoutsUnderOverlay() throws Exception {
        Requirements.root();
        TestLayer base = TestLayer.create().file("etc/motd", "hello", 0644).file("etc/keep", "kept", 0644)
                .file("var/cache/old", "old", 0644).file("bin/tool", "#!", 0755);
        TestLayer top = TestLayer.create().file("etc/.wh.motd", "", 0644)
                .file("var/cache/.wh..wh..opq", "", 0644).file("var/cache/new", "new", 0644);
        List<Descriptor> layers = List.of(store(base.gzip()), store(top.zstd()));
        List<Digest> diffIds = List.of(Digest.sha256(base.tar()), Digest.sha256(top.tar()));

        List<Path> dirs = snapshots.prepare(layers, diffIds, content);
        Object inode = Files.getAttribute(dirs.get(0), "unix:ino");
        List<Path> again = snapshots.prepare(layers, diffIds, content);
        mounted = OverlayRootfs.mount(dirs, Files.createDirectory(root.resolve("container")));

        assertThat(again).isEqualTo(dirs);
        assertThat(Files.getAttribute(again.get(0), "unix:ino")).isEqualTo(inode);
        assertThat(snapshots.list()).containsExactlyInAnyOrderElementsOf(SnapshotStore.chainIds(diffIds));
        assertThat(OverlayRootfs.isMounted(mounted)).isTrue();
        assertThat(mounted.resolve("etc/motd")).doesNotExist();
        assertThat(mounted.resolve("etc/keep")).hasContent("kept");
        try (Stream<Path> cache = Files.list(mounted.resolve("var/cache"))) {
            assertThat(cache.map(p -> p.getFileName().toString())).containsExactly("new");
        }
        Files.writeString(mounted.resolve("etc/keep"), "changed");
        assertThat(root.resolve("container/upper/etc/keep")).hasContent("changed");
        assertThat(dirs.get(0).resolve("etc/keep")).hasContent("kept");
        try (Stream<Path> left = Files.list(root.resolve("snapshots"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    SnapshotStore.chainIds(diffIds).get(0).hex(), SnapshotStore.chainIds(diffIds).get(0).hex() + ".size",
                    SnapshotStore.chainIds(diffIds).get(1).hex(), SnapshotStore.chainIds(diffIds).get(1).hex() + ".size");
        }
    }

    @Test
    void theUnpackedSizeIsRecordedBesideTheSnapshotAndCountedForOneWithout() throws Exception {
        TestLayer layer = TestLayer.create().file("a", "12345", 0644).file("b", "123", 0644).symlink("c", "a")
                .hardlink("d", "a").file("e", "", 0644);
        Digest chain = Digest.sha256(layer.tar());
        snapshots.prepare(List.of(store(layer.gzip())), List.of(chain), content);

        assertThat(root.resolve("snapshots/" + chain.hex() + ".size")).hasContent("9");
        assertThat(snapshots.size(chain)).isEqualTo(9);
        Files.delete(root.resolve("snapshots/" + chain.hex() + ".size"));
        assertThat(snapshots.size(chain)).isEqualTo(9);
        assertThat(root.resolve("snapshots/" + chain.hex() + ".size")).hasContent("9");
        snapshots.remove(chain);
        assertThat(root.resolve("snapshots")).isEmptyDirectory();
    }

    @Test
    void aLayerThatDoesNotMatchItsDiffIdLeavesNoSnapshot() throws Exception {
        TestLayer layer = TestLayer.create().file("f", "x", 0644);
        Digest wrong = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> snapshots.prepare(List.of(store(layer.gzip())), List.of(wrong), content))
                .hasMessageContaining("but the image config says " + wrong + "; refused");

        assertThat(root.resolve("snapshots")).isEmptyDirectory();
    }

    @Test
    void anUnsafeLayerLeavesNoSnapshotAndRemoveDeletesOne() throws Exception {
        TestLayer evil = TestLayer.create().symlink("x", "/").file("x/evil", "x", 0644);
        TestLayer fine = TestLayer.create().file("f", "x", 0644);
        Digest fineChain = Digest.sha256(fine.tar());

        assertThatThrownBy(() -> snapshots.prepare(List.of(store(evil.tar())), List.of(Digest.sha256(evil.tar())), content))
                .hasMessageContaining("writes through the symlink x");
        snapshots.prepare(List.of(store(fine.tar())), List.of(fineChain), content);
        snapshots.remove(fineChain);

        assertThat(Path.of("/evil")).doesNotExist();
        assertThat(root.resolve("snapshots")).isEmptyDirectory();
    }

    @Test
    void aLayerThatUnpacksToMoreThanTheLimitLeavesNoSnapshot() throws Exception {
        GzipBomb bomb = GzipBomb.of(1, 64, 0);
        SnapshotStore limited = new SnapshotStore(root, new LayerUnpacker(ROOT, 1L << 20));
        Descriptor layer = store(bomb.gzip());

        assertThatThrownBy(() -> limited.prepare(List.of(layer), List.of(bomb.diffId()), content))
                .hasMessage("layer " + layer.digest() + ": entry zeros/0: refused: the layer unpacks to more than 1 MiB, "
                        + "the limit (--max-unpacked-size, BERTH_MAX_UNPACKED_SIZE)");

        assertThat(root.resolve("snapshots")).isEmptyDirectory();
    }
}
