package dev.berth.runtime.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.runtime.content.ContentStore;
import dev.berth.runtime.unpack.LayerUnpacker;
import dev.berth.testing.Requirements;
import dev.berth.testing.TestLayer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy that stands in for overlayfs: the same tree overlay would show, made of plain files. */
class CopiedRootfsTest {

    @TempDir
    Path root;

    private ContentStore content;
    private SnapshotStore snapshots;

    @BeforeEach
    void setUp() {
        Requirements.root();
        content = new ContentStore(root);
        snapshots = new SnapshotStore(root, new LayerUnpacker(true));
    }

    private List<Path> snapshotsOf(TestLayer... layers) throws Exception {
        List<Descriptor> descriptors = new java.util.ArrayList<>();
        List<Digest> diffIds = new java.util.ArrayList<>();
        for (TestLayer layer : layers) {
            byte[] blob = layer.gzip();
            content.put(Digest.sha256(blob), blob);
            descriptors.add(new Descriptor(MediaType.OCI_LAYER_GZIP, Digest.sha256(blob), blob.length, null, null, null));
            diffIds.add(Digest.sha256(layer.tar()));
        }
        return snapshots.prepare(descriptors, diffIds, content);
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void appliesWhiteoutsAndOpaqueDirectoriesLayerOverLayer() throws Exception {
        TarArchiveEntry owned = new TarArchiveEntry("srv/owned", true);
        owned.setIds(1000, 1001);
        owned.setMode(04750);
        owned.setSize(3);
        owned.setModTime(1_600_000_000_000L);
        TestLayer base = TestLayer.create().file("etc/motd", "hello", 0644).file("etc/keep", "kept", 0644)
                .file("var/cache/old", "old", 0644).dir("var/cache/olddir", 0755).file("var/cache/olddir/f", "f", 0644)
                .dir("gone", 0755).file("gone/f", "f", 0644).file("becomes-dir", "file", 0644)
                .add(owned, "abc".getBytes()).hardlink("srv/owned-too", "srv/owned").symlink("srv/link", "owned")
                .charDevice("dev/null", 1, 3, 0666);
        TestLayer top = TestLayer.create().file("etc/.wh.motd", "", 0644).file(".wh.gone", "", 0644)
                .file("var/cache/.wh..wh..opq", "", 0644).file("var/cache/new", "new", 0644)
                .dir("becomes-dir", 0700).file("becomes-dir/inside", "in", 0644);
        List<Path> layers = snapshotsOf(base, top);

        Path rootfs = CopiedRootfs.copy(layers, Files.createDirectory(root.resolve("container")));

        assertThat(rootfs).isEqualTo(root.resolve("container/rootfs"));
        assertThat(rootfs.resolve("etc/motd")).doesNotExist();
        assertThat(rootfs.resolve("etc/keep")).hasContent("kept");
        assertThat(rootfs.resolve("gone")).doesNotExist();
        assertThat(names(rootfs.resolve("var/cache"))).containsExactly("new");
        assertThat(rootfs.resolve("becomes-dir/inside")).hasContent("in");
        assertThat((int) Files.getAttribute(rootfs.resolve("becomes-dir"), "unix:mode") & 07777).isEqualTo(0700);
        Path copied = rootfs.resolve("srv/owned");
        assertThat(copied).hasContent("abc");
        assertThat(Files.getAttribute(copied, "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(copied, "unix:gid")).isEqualTo(1001);
        assertThat((int) Files.getAttribute(copied, "unix:mode") & 07777).isEqualTo(04750);
        assertThat(Files.getLastModifiedTime(copied)).isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
        assertThat(Files.getAttribute(rootfs.resolve("srv/owned-too"), "unix:ino")).isEqualTo(Files.getAttribute(copied, "unix:ino"));
        assertThat(Files.readSymbolicLink(rootfs.resolve("srv/link"))).isEqualTo(Path.of("owned"));
        assertThat(Files.getAttribute(rootfs.resolve("dev/null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(Files.getAttribute(Path.of("/dev/null"), "unix:rdev"));
        try (Stream<Path> tree = Files.walk(rootfs)) {
            assertThat(tree.filter(p -> {
                try {
                    return CopiedRootfs.isWhiteout(p, Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            })).as("whiteouts left in the copy").isEmpty();
        }
        Files.writeString(rootfs.resolve("etc/keep"), "changed");
        assertThat(layers.get(0).resolve("etc/keep")).hasContent("kept");
    }
}
