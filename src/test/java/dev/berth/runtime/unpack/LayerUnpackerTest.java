package dev.berth.runtime.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import dev.berth.runtime.sys.Posix;
import dev.berth.testing.Requirements;
import dev.berth.testing.TestLayer;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Unpacking real tars made by hand into real directories, as root (owners, device nodes, xattrs). */
class LayerUnpackerTest {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path tmp;

    private Path root;

    @BeforeEach
    void setUp() throws Exception {
        Requirements.root();
        root = Files.createDirectory(tmp.resolve("layer"));
    }

    private UnpackedLayer unpack(byte[] blob) throws Exception {
        return new LayerUnpacker(true).unpack(new ByteArrayInputStream(blob), root);
    }

    private static TestLayer everyKindOfEntry() {
        TarArchiveEntry owned = new TarArchiveEntry("srv/owned", true);
        owned.setIds(1000, 1001);
        owned.setMode(04750);
        owned.setSize(3);
        owned.setModTime(1_600_000_000_000L);
        return TestLayer.create()
                .dir("srv", 0750)
                .add(owned, "abc".getBytes())
                .file("srv/data.txt", "data", 0644)
                .symlink("srv/abs-link", "/etc/hostname")
                .symlink("srv/rel-link", "data.txt")
                .hardlink("srv/hard", "srv/data.txt")
                .charDevice("dev/null", 1, 3, 0666)
                .file("./dot/slash", "x", 0600);
    }

    static Stream<Arguments> compressions() {
        return Stream.of(Arguments.of("tar", (Function<TestLayer, byte[]>) TestLayer::tar),
                Arguments.of("gzip", (Function<TestLayer, byte[]>) TestLayer::gzip),
                Arguments.of("zstd", (Function<TestLayer, byte[]>) TestLayer::zstd));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressions")
    void unpacksEveryKindOfEntryAndReturnsTheDiffId(String kind, Function<TestLayer, byte[]> compress) throws Exception {
        TestLayer layer = everyKindOfEntry();

        UnpackedLayer unpacked = unpack(compress.apply(layer));

        assertThat(unpacked.diffId()).isEqualTo(Digest.sha256(layer.tar()));
        // abc + data + /etc/hostname + data.txt + x: files and symlink targets; the hard link, dirs and the device count nothing
        assertThat(unpacked.size()).isEqualTo(3 + 4 + 13 + 8 + 1);
        Path owned = root.resolve("srv/owned");
        assertThat(owned).hasContent("abc");
        assertThat(Files.getAttribute(owned, "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(owned, "unix:gid")).isEqualTo(1001);
        assertThat((int) Files.getAttribute(owned, "unix:mode") & 07777).isEqualTo(04750);
        assertThat(Files.getLastModifiedTime(owned)).isEqualTo(FileTime.fromMillis(1_600_000_000_000L));
        assertThat((int) Files.getAttribute(root.resolve("srv"), "unix:mode") & 07777).isEqualTo(0750);
        assertThat(Files.getLastModifiedTime(root.resolve("srv"))).isEqualTo(FileTime.fromMillis(1_700_000_000_000L));
        assertThat(Files.readSymbolicLink(root.resolve("srv/abs-link"))).isEqualTo(Path.of("/etc/hostname"));
        assertThat(root.resolve("srv/rel-link")).hasContent("data");
        assertThat(Files.getAttribute(root.resolve("srv/hard"), "unix:ino"))
                .isEqualTo(Files.getAttribute(root.resolve("srv/data.txt"), "unix:ino"));
        assertThat(Files.getAttribute(root.resolve("dev/null"), "unix:rdev")).isEqualTo(Files.getAttribute(Path.of("/dev/null"), "unix:rdev"));
        assertThat(root.resolve("dot/slash")).hasContent("x");
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
    void aLaterEntryReplacesAnEarlierOne() throws Exception {
        unpack(TestLayer.create().file("a", "first", 0644).dir("a", 0700).file("a/b", "inside", 0644)
                .file("c", "file", 0644).symlink("c", "a").tar());

        assertThat(root.resolve("a")).isDirectory();
        assertThat(root.resolve("a/b")).hasContent("inside");
        assertThat(Files.isSymbolicLink(root.resolve("c"))).isTrue();
    }

    static Stream<Arguments> maliciousLayers() {
        return Stream.of(
                Arguments.of("dot-dot", TestLayer.create().file("../escaped", "x", 0644), ".. climbs out"),
                Arguments.of("nested dot-dot", TestLayer.create().file("a/../../escaped", "x", 0644), ".. climbs out"),
                Arguments.of("absolute", TestLayer.create().file("/escaped", "x", 0644), "absolute names"),
                Arguments.of("through an outward symlink", TestLayer.create().symlink("out", "../")
                        .file("out/escaped", "x", 0644), "writes through the symlink out"),
                Arguments.of("through an absolute symlink", TestLayer.create().symlink("etc", "/OUTSIDE")
                        .file("etc/escaped", "x", 0644), "writes through the symlink etc"),
                Arguments.of("hard link outside by name", TestLayer.create().hardlink("h", "../outside-file"), ".. climbs out"),
                Arguments.of("hard link absolute", TestLayer.create().hardlink("h", "/etc/passwd"), "absolute names"),
                Arguments.of("hard link through a symlink", TestLayer.create().symlink("l", "/etc")
                        .hardlink("h", "l/passwd"), "not in this layer"),
                Arguments.of("hard link to a directory", TestLayer.create().dir("d", 0755).hardlink("h", "d"),
                        "not a file of this layer"),
                Arguments.of("whiteout of dot-dot", TestLayer.create().file(".wh..", "", 0644), "not a valid whiteout"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maliciousLayers")
    void refusesToWriteOutsideTheRoot(String name, TestLayer layer, String reason) throws Exception {
        Path outsideFile = Files.writeString(tmp.resolve("outside-file"), "do not touch");

        assertThatThrownBy(() -> unpack(layer.tar()))
                .isInstanceOf(UnsafeLayerException.class)
                .hasMessageStartingWith("refused layer entry ")
                .hasMessageContaining(reason);

        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("layer", "outside-file");
        }
        assertThat(outsideFile).hasContent("do not touch");
        assertThat(Path.of("/OUTSIDE")).doesNotExist();
    }
}
