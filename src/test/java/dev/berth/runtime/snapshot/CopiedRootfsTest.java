package dev.berth.runtime.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.security.auth.module.UnixSystem;
import dev.berth.content.ContentStore;
import dev.berth.content.FileContentStore;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.runtime.sys.Posix;
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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copy that stands in for overlayfs: the same tree overlay would show, made of plain files. As
 * any user, but owners, device nodes, whiteouts and opaque directories need root.
 */
class CopiedRootfsTest {

    private static final boolean ROOT = new UnixSystem().getUid() == 0;
    private static final FileTime MTIME = FileTime.fromMillis(1_700_000_000_000L);

    @TempDir
    Path root;

    private ContentStore content;
    private SnapshotStore snapshots;

    @BeforeEach
    void setUp() {
        content = new FileContentStore(root);
        snapshots = new SnapshotStore(root, new LayerUnpacker(ROOT));
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
        Requirements.root();
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

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fifosSymlinksAndDirectoriesKeepTheirModesAndTimesWithoutBeingOpened() throws Exception {
        TestLayer base = TestLayer.create().dir("run", 0711).fifo("run/initctl", 0600).symlink("run/link", "initctl")
                .dir("srv", 0755).file("srv/f", "f", 0640);
        TestLayer top = TestLayer.create().fifo("srv/pipe", 0620).dir("srv/sub", 0700);
        List<Path> layers = snapshotsOf(base, top);

        Path rootfs = CopiedRootfs.copy(layers, Files.createDirectory(root.resolve("container")));

        assertThat(mode(rootfs.resolve("run/initctl"))).isEqualTo(Posix.S_IFIFO | 0600);
        assertThat(mode(rootfs.resolve("srv/pipe"))).isEqualTo(Posix.S_IFIFO | 0620);
        assertThat(mode(rootfs.resolve("run")) & 07777).isEqualTo(0711);
        assertThat(mode(rootfs.resolve("srv/sub")) & 07777).isEqualTo(0700);
        assertThat(Files.readSymbolicLink(rootfs.resolve("run/link"))).isEqualTo(Path.of("initctl"));
        for (String name : new String[] {"run/initctl", "srv/pipe", "run/link", "run", "srv/sub", "srv/f"}) {
            assertThat(Files.getLastModifiedTime(rootfs.resolve(name), LinkOption.NOFOLLOW_LINKS)).as(name).isEqualTo(MTIME);
        }
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void deviceNodesAreCopiedWithTheirNumbersOwnersAndTimes() throws Exception {
        Requirements.root();
        TestLayer base = TestLayer.create().ownedBy(0, 5).charDevice("dev/ptmx", 5, 2, 0666)
                .charDevice("dev/console", 5, 1, 0600).blockDevice("dev/loop7", 7, 7, 0660);
        List<Path> layers = snapshotsOf(base);

        Path rootfs = CopiedRootfs.copy(layers, Files.createDirectory(root.resolve("container")));

        assertThat(mode(rootfs.resolve("dev/ptmx"))).isEqualTo(Posix.S_IFCHR | 0666);
        assertThat(mode(rootfs.resolve("dev/console"))).isEqualTo(Posix.S_IFCHR | 0600);
        assertThat(mode(rootfs.resolve("dev/loop7"))).isEqualTo(Posix.S_IFBLK | 0660);
        for (String name : new String[] {"dev/ptmx", "dev/console", "dev/loop7"}) {
            Path node = rootfs.resolve(name);
            assertThat(Files.getAttribute(node, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).as(name)
                    .isEqualTo(Files.getAttribute(layers.get(0).resolve(name), "unix:rdev", LinkOption.NOFOLLOW_LINKS));
            assertThat(Files.getAttribute(node, "unix:gid", LinkOption.NOFOLLOW_LINKS)).as(name).isEqualTo(5);
            assertThat(Files.getLastModifiedTime(node, LinkOption.NOFOLLOW_LINKS)).as(name).isEqualTo(MTIME);
        }
        assertThat(Files.getAttribute(rootfs.resolve("dev/ptmx"), "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(5L << 8 | 2);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFileKeepsItsCapabilitiesSetuidBitAndOwner() throws Exception {
        Requirements.root();
        byte[] capability = {0x01, 0x00, 0x00, 0x02, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        List<Path> layers = snapshotsOf(TestLayer.create().ownedBy(0, 0).dir("bin", 0755).file("bin/passwd", "p", 04755)
                .ownedBy(1000, 1000).file("bin/ping", "x", 0755));
        Posix.lsetxattr(layers.get(0).resolve("bin/ping"), "security.capability", capability);
        Posix.lsetxattr(layers.get(0).resolve("bin/ping"), "user.note", "n".getBytes());

        Path rootfs = CopiedRootfs.copy(layers, Files.createDirectory(root.resolve("container")));

        assertThat(Posix.lgetxattr(rootfs.resolve("bin/ping"), "security.capability")).isEqualTo(capability);
        assertThat(Posix.lgetxattr(rootfs.resolve("bin/ping"), "user.note")).isEqualTo("n".getBytes());
        assertThat(Files.getAttribute(rootfs.resolve("bin/ping"), "unix:uid", LinkOption.NOFOLLOW_LINKS)).isEqualTo(1000);
        assertThat(mode(rootfs.resolve("bin/passwd"))).isEqualTo(0100000 | 04755);
    }

    private static int mode(Path p) throws java.io.IOException {
        return (int) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    }
}
