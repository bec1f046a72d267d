package dev.berth.runtime.unpack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.runtime.sys.Posix;
import dev.berth.testing.Requirements;
import dev.berth.testing.TestLayer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What only root may do when unpacking: owners, device nodes, overlay whiteouts and the trusted xattr. */
class LayerUnpackerRootTest {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final FileTime MTIME = FileTime.fromMillis(1_700_000_000_000L);

    @TempDir
    Path tmp;

    private Path root;

    @BeforeEach
    void setUp() throws Exception {
        Requirements.root();
        root = Files.createDirectory(tmp.resolve("layer"));
    }

    private UnpackedLayer unpack(byte[] blob) throws IOException {
        return new LayerUnpacker(true).unpack(Digest.sha256(blob), new ByteArrayInputStream(blob), root);
    }

    private static Object attribute(Path p, String name) throws IOException {
        return Files.getAttribute(p, "unix:" + name, NOFOLLOW);
    }

    static Stream<Arguments> compressions() {
        return Stream.of(Arguments.of("tar", (Function<TestLayer, byte[]>) TestLayer::tar),
                Arguments.of("gzip", (Function<TestLayer, byte[]>) TestLayer::gzip),
                Arguments.of("zstd", (Function<TestLayer, byte[]>) TestLayer::zstd));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressions")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void entriesGetTheirOwnersAndDeviceNodesTheirNumbers(String kind, Function<TestLayer, byte[]> compress) throws Exception {
        TarArchiveEntry owned = new TarArchiveEntry("srv/owned", true);
        owned.setIds(1000, 1001);
        owned.setMode(04750);
        owned.setSize(3);
        owned.setModTime(1_600_000_000_000L);
        TestLayer layer = TestLayer.create()
                .dir("srv", 0750)
                .add(owned, "abc".getBytes())
                .ownedBy(1002, 1003)
                .dir("srv/dir", 0700)
                .symlink("srv/link", "owned")
                .fifo("srv/pipe", 0620)
                .charDevice("dev/null", 1, 3, 0666)
                .charDevice("dev/ptmx", 5, 2, 0666)
                .charDevice("dev/console", 5, 1, 0600)
                .blockDevice("dev/loop7", 7, 7, 0660);

        unpack(compress.apply(layer));

        Path file = root.resolve("srv/owned");
        assertThat(file).hasContent("abc");
        assertThat(attribute(file, "uid")).isEqualTo(1000);
        assertThat(attribute(file, "gid")).isEqualTo(1001);
        assertThat((int) attribute(file, "mode") & 07777).as("setuid kept after the chown").isEqualTo(04750);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
        for (String name : new String[] {"srv/dir", "srv/link", "srv/pipe", "dev/ptmx"}) {
            assertThat(attribute(root.resolve(name), "uid")).as(name).isEqualTo(1002);
            assertThat(attribute(root.resolve(name), "gid")).as(name).isEqualTo(1003);
            assertThat(Files.getLastModifiedTime(root.resolve(name), NOFOLLOW)).as(name).isEqualTo(MTIME);
        }
        assertNode("dev/null", Posix.S_IFCHR, 1, 3, 0666);
        assertNode("dev/ptmx", Posix.S_IFCHR, 5, 2, 0666);
        assertNode("dev/console", Posix.S_IFCHR, 5, 1, 0600);
        assertNode("dev/loop7", Posix.S_IFBLK, 7, 7, 0660);
        assertThat(Files.getAttribute(root.resolve("dev/null"), "unix:rdev"))
                .isEqualTo(Files.getAttribute(Path.of("/dev/null"), "unix:rdev"));
    }

    private void assertNode(String name, int type, int major, int minor, int mode) throws IOException {
        Path p = root.resolve(name);
        assertThat((int) attribute(p, "mode")).as(name).isEqualTo(type | mode);
        assertThat(attribute(p, "rdev")).as(name).isEqualTo((long) (major << 8 | minor));
        assertThat(Files.getLastModifiedTime(p, NOFOLLOW)).as(name).isEqualTo(MTIME);
    }

    @Test
    void whiteoutsBecomeWhatOverlayfsReads() throws Exception {
        unpack(TestLayer.create().dir("etc", 0755).file("etc/.wh.motd", "", 0644)
                .dir("var/cache", 0755).file("var/cache/.wh..wh..opq", "", 0644).file("var/cache/kept", "new", 0644)
                .file(".wh..wh.plnk", "", 0644).tar());

        Path whiteout = root.resolve("etc/motd");
        assertThat(Files.readAttributes(whiteout, "unix:mode,rdev", NOFOLLOW)).containsEntry("rdev", 0L);
        assertThat((int) Files.getAttribute(whiteout, "unix:mode", NOFOLLOW) & Posix.S_IFCHR).isEqualTo(Posix.S_IFCHR);
        assertThat(root.resolve("etc/.wh.motd")).doesNotExist();
        assertThat(Posix.lgetxattr(root.resolve("var/cache"), "trusted.overlay.opaque")).isEqualTo("y".getBytes());
        assertThat(Posix.lgetxattr(root.resolve("etc"), "trusted.overlay.opaque")).isNull();
        assertThat(root.resolve("var/cache/kept")).hasContent("new");
        assertThat(root.resolve("var/cache/.wh..wh..opq")).doesNotExist();
        assertThat(root.resolve(".wh..wh.plnk")).doesNotExist();
    }

    @Test
    void aDirectoryWhitedOutInItsOwnLayerIsJustAWhiteout() throws Exception {
        unpack(TestLayer.create().dir("w", 04777).dir("w/sub", 0700).file("w/sub/f", "x", 0644).file(".wh.w", "", 0644).tar());

        Path whiteout = root.resolve("w");
        assertThat((int) attribute(whiteout, "mode")).as("no mode of the directory's").isEqualTo(Posix.S_IFCHR);
        assertThat(attribute(whiteout, "rdev")).isEqualTo(0L);
    }
}
