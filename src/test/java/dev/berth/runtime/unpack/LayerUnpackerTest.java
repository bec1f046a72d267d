package dev.berth.runtime.unpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.security.auth.module.UnixSystem;
import dev.berth.oci.Digest;
import dev.berth.runtime.sys.Posix;
import dev.berth.testing.GzipBomb;
import dev.berth.testing.SparseTar;
import dev.berth.testing.TestLayer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unpacking real tars made by hand into real directories, as any user: confinement, replaced
 * entries, FIFOs, errors and the size limit. As root the same cases also give entries their
 * owners; owners, device nodes and whiteouts alone need root ({@link LayerUnpackerRootTest}).
 */
class LayerUnpackerTest {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final boolean ROOT = new UnixSystem().getUid() == 0;
    private static final FileTime MARKER_TIME = FileTime.fromMillis(1_500_000_000_000L);

    @TempDir
    Path tmp;

    private Path root;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createDirectory(tmp.resolve("layer"));
    }

    private UnpackedLayer unpack(byte[] blob) throws IOException {
        return unpack(blob, LayerUnpacker.DEFAULT_MAX_UNPACKED_SIZE);
    }

    private UnpackedLayer unpack(byte[] blob, long limit) throws IOException {
        return new LayerUnpacker(ROOT, limit).unpack(Digest.sha256(blob), new ByteArrayInputStream(blob), root);
    }

    private static int mode(Path p) throws IOException {
        return (int) Files.getAttribute(p, "unix:mode", NOFOLLOW);
    }

    static Stream<Arguments> compressions() {
        return Stream.of(Arguments.of("tar", (Function<TestLayer, byte[]>) TestLayer::tar),
                Arguments.of("gzip", (Function<TestLayer, byte[]>) TestLayer::gzip),
                Arguments.of("zstd", (Function<TestLayer, byte[]>) TestLayer::zstd));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compressions")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void unpacksFilesDirectoriesLinksAndFifosAndReturnsTheDiffId(String kind, Function<TestLayer, byte[]> compress) throws Exception {
        TestLayer layer = TestLayer.create()
                .dir("srv", 0750)
                .file("srv/setuid", "abc", 04755)
                .file("srv/data.txt", "data", 0644)
                .symlink("srv/abs-link", "/etc/hostname")
                .symlink("srv/rel-link", "data.txt")
                .hardlink("srv/hard", "srv/data.txt")
                .fifo("srv/pipe", 0620)
                .file("./dot/slash", "x", 0600);

        UnpackedLayer unpacked = unpack(compress.apply(layer));

        assertThat(unpacked.diffId()).isEqualTo(Digest.sha256(layer.tar()));
        // abc + data + /etc/hostname + data.txt + x: files and symlink targets; the hard link, dirs and the FIFO count nothing
        assertThat(unpacked.size()).isEqualTo(3 + 4 + 13 + 8 + 1);
        FileTime mtime = FileTime.fromMillis(1_700_000_000_000L);
        assertThat(root.resolve("srv/setuid")).hasContent("abc");
        assertThat(mode(root.resolve("srv/setuid")) & 07777).isEqualTo(04755);
        assertThat(Files.getLastModifiedTime(root.resolve("srv/setuid"))).isEqualTo(mtime);
        assertThat(mode(root.resolve("srv")) & 07777).isEqualTo(0750);
        assertThat(Files.getLastModifiedTime(root.resolve("srv"))).isEqualTo(mtime);
        assertThat(Files.readSymbolicLink(root.resolve("srv/abs-link"))).isEqualTo(Path.of("/etc/hostname"));
        assertThat(Files.getLastModifiedTime(root.resolve("srv/abs-link"), NOFOLLOW)).isEqualTo(mtime);
        assertThat(root.resolve("srv/rel-link")).hasContent("data");
        assertThat(Files.getAttribute(root.resolve("srv/hard"), "unix:ino"))
                .isEqualTo(Files.getAttribute(root.resolve("srv/data.txt"), "unix:ino"));
        assertThat(mode(root.resolve("srv/pipe"))).isEqualTo(Posix.S_IFIFO | 0620);
        assertThat(root.resolve("dot/slash")).hasContent("x");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoIsMadeAndGivenItsModeAndTimeWithoutBeingOpened() throws Exception {
        TestLayer layer = TestLayer.create().dir("run", 0755).fifo("run/initctl", 0600).dir("p", 0755).fifo("p", 0640)
                .file("after", "the unpack went on", 0644);

        unpack(layer.gzip());

        for (String fifo : new String[] {"run/initctl", "p"}) {
            Path p = root.resolve(fifo);
            assertThat(mode(p) & Posix.S_IFMT).as(fifo).isEqualTo(Posix.S_IFIFO);
            assertThat(Files.getLastModifiedTime(p, NOFOLLOW)).as(fifo).isEqualTo(FileTime.fromMillis(1_700_000_000_000L));
        }
        assertThat(mode(root.resolve("run/initctl")) & 07777).isEqualTo(0600);
        assertThat(mode(root.resolve("p")) & 07777).isEqualTo(0640);
        assertThat(root.resolve("after")).hasContent("the unpack went on");
    }

    @Test
    void aLaterEntryReplacesAnEarlierOne() throws Exception {
        unpack(TestLayer.create().file("a", "first", 0644).dir("a", 0700).file("a/b", "inside", 0644)
                .file("c", "file", 0644).symlink("c", "a").dir("d", 0700).dir("d", 0751).tar());

        assertThat(root.resolve("a")).isDirectory();
        assertThat(root.resolve("a/b")).hasContent("inside");
        assertThat(Files.isSymbolicLink(root.resolve("c"))).isTrue();
        assertThat(mode(root.resolve("d")) & 07777).as("the later of two entries for one directory").isEqualTo(0751);
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
                Arguments.of("through a directory swapped for a symlink", TestLayer.create().dir("etc", 0755)
                        .symlink("etc", "/OUTSIDE").file("etc/escaped", "x", 0644), "writes through the symlink etc"),
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
        byte[] tar = layer.tar();

        assertThatThrownBy(() -> unpack(tar))
                .isInstanceOf(LayerUnpackException.class)
                .hasMessageStartingWith("layer " + Digest.sha256(tar) + ": entry ")
                .hasMessageContaining(": refused: ")
                .hasMessageContaining(reason);

        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("layer", "outside-file");
        }
        assertThat(outsideFile).hasContent("do not touch");
        assertThat(Path.of("/OUTSIDE")).doesNotExist();
    }

    /**
     * Entries replaced later in the same layer by a link to the outside. Their waiting metadata is
     * dropped and the layer unpacks with the later entry in place (null reason), or, where a later
     * entry writes through the link, the layer is refused; either way nothing outside changes.
     */
    static Stream<Arguments> replacedEntries() {
        return Stream.of(
                Arguments.of("a directory, then a symlink of its name to an outside file",
                        (Function<Path, TestLayer>) out -> TestLayer.create().ownedBy(1000, 1001).dir("cm", 04777)
                                .symlink("cm", out.resolve("outside-file").toString()), "cm", null),
                Arguments.of("a directory and its child, then the directory swapped for a symlink to an outside directory",
                        (Function<Path, TestLayer>) out -> TestLayer.create().ownedBy(1000, 1001).dir("a", 0777)
                                .dir("a/b", 04777).symlink("a", out.resolve("outside-dir").toString()), "a", null),
                Arguments.of("a deeper directory swapped for a symlink to an outside directory",
                        (Function<Path, TestLayer>) out -> TestLayer.create().ownedBy(1000, 1001).dir("a/b", 0777)
                                .dir("a/b/b", 04777).symlink("a/b", out.resolve("outside-dir").toString()), "a/b", null),
                Arguments.of("a file, then a symlink of its name to an outside file",
                        (Function<Path, TestLayer>) out -> TestLayer.create().ownedBy(1000, 1001).file("f", "x", 04777)
                                .symlink("f", out.resolve("outside-file").toString()), "f", null),
                Arguments.of("a directory, then a hard link of its name to a symlink pointing outside",
                        (Function<Path, TestLayer>) out -> TestLayer.create().ownedBy(1000, 1001)
                                .symlink("l", out.resolve("outside-file").toString()).dir("cm", 04777).hardlink("cm", "l"),
                        "cm", null),
                Arguments.of("a directory swapped for a symlink to an outside directory, then written through",
                        (Function<Path, TestLayer>) out -> TestLayer.create().ownedBy(1000, 1001).dir("a", 0777)
                                .dir("a/b", 04777).symlink("a", out.resolve("outside-dir").toString())
                                .file("a/b/new", "x", 0644), "a", "writes through the symlink a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replacedEntries")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anEntryReplacedByALinkChangesNothingOutsideTheRoot(String name, Function<Path, TestLayer> layer, String replaced,
                                                           String refusal) throws Exception {
        Path file = Files.writeString(tmp.resolve("outside-file"), "do not touch");
        Path dir = Files.createDirectory(tmp.resolve("outside-dir"));
        Path child = Files.createDirectory(dir.resolve("b"));
        for (Path marker : new Path[] {file, dir, child}) {
            Files.setAttribute(marker, "unix:mode", marker == file ? 0640 : 0750);
            Files.setLastModifiedTime(marker, MARKER_TIME);
        }
        Map<String, String> before = outside();
        byte[] tar = layer.apply(tmp).tar();

        if (refusal == null) {
            unpack(tar);
            assertThat(Files.isSymbolicLink(root.resolve(replaced))).as(replaced + " is the later symlink").isTrue();
        } else {
            assertThatThrownBy(() -> unpack(tar)).isInstanceOf(LayerUnpackException.class).hasMessageContaining(refusal);
        }

        assertThat(outside()).isEqualTo(before);
        assertThat((int) Files.getAttribute(file, "unix:mode") & 07777).isEqualTo(0640);
        assertThat(Files.getLastModifiedTime(child)).isEqualTo(MARKER_TIME);
        assertThat(file).hasContent("do not touch");
    }

    /** Mode, owner and mtime of everything beside the root. */
    private Map<String, String> outside() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> tree = Files.walk(tmp)) {
            for (Path p : tree.filter(p -> !p.startsWith(root)).toList()) {
                out.put(tmp.relativize(p).toString(),
                        Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime", NOFOLLOW).toString());
            }
        }
        return out;
    }

    @Test
    void anErrorIsOneLineNamingTheLayerTheEntryAndWhy() throws Exception {
        String longName = "x".repeat(300);
        byte[] tooLong = TestLayer.create().dir("etc", 0755).file("etc/" + longName, "x", 0644).tar();
        byte[] notADirectory = TestLayer.create().file("etc", "x", 0644).file("etc/passwd\nroot::0:0", "x", 0644).gzip();
        byte[] truncated = java.util.Arrays.copyOf(TestLayer.create().file("big", "y".repeat(5000), 0644).tar(), 2048);

        assertThatThrownBy(() -> unpack(tooLong)).isInstanceOf(LayerUnpackException.class)
                .hasMessage("layer " + Digest.sha256(tooLong) + ": entry etc/" + longName + ": statx: File name too long");
        assertThatThrownBy(() -> unpack(notADirectory)).isInstanceOf(LayerUnpackException.class)
                .hasMessage("layer " + Digest.sha256(notADirectory) + ": entry etc/passwd?root::0:0: refused: etc is not a directory");
        assertThatThrownBy(() -> unpack(truncated)).isInstanceOf(LayerUnpackException.class)
                .hasMessageStartingWith("layer " + Digest.sha256(truncated) + ": entry big: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeGreaterThan(("layer " + Digest.sha256(truncated)
                        + ": entry big: ").length()));
    }

    static Stream<Arguments> bombs() {
        return GzipBomb.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bombs")
    void aLayerThatUnpacksToMoreThanTheLimitIsRefusedAsSoonAsItPassesIt(String name, GzipBomb bomb, String where) throws Exception {
        long limit = (1L << 20) + 4096;
        long[] read = {0};
        InputStream counting = bomb.counting(read);

        assertThatThrownBy(() -> new LayerUnpacker(ROOT, limit).unpack(Digest.sha256(bomb.gzip()), counting, root))
                .isInstanceOf(LayerUnpackException.class)
                .hasMessage("layer " + Digest.sha256(bomb.gzip()) + ": " + where + "refused: the layer unpacks to more than "
                        + "1028 KiB, the limit (--max-unpacked-size, BERTH_MAX_UNPACKED_SIZE)");

        assertThat(bomb.tarSize()).isGreaterThan(1L << 30);
        // Two 64 KiB buffers of a gzip that expands about 1000 times: the limit stops the read, not the end of the stream.
        assertThat(read[0]).as("compressed bytes read of " + bomb.gzip().length).isLessThan(bomb.gzip().length / 4);
        long written;
        try (Stream<Path> tree = Files.walk(root)) {
            written = tree.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(written).isLessThanOrEqualTo(limit);
    }

    @Test
    void sparseFilesCountWhatTheyUnpackToHolesIncluded() throws Exception {
        long limit = 10L << 20;
        byte[] three = SparseTar.of(tmp, 3, 4L << 20); // a few KiB of tar, 12 MiB of files

        assertThatThrownBy(() -> unpack(three, limit)).isInstanceOf(LayerUnpackException.class)
                .hasMessage("layer " + Digest.sha256(three) + ": entry holes2: refused: the layer unpacks to more than 10 MiB, "
                        + "the limit (--max-unpacked-size, BERTH_MAX_UNPACKED_SIZE)");
        long written;
        try (Stream<Path> tree = Files.walk(root)) {
            written = tree.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(written).isEqualTo(2 * ((4L << 20) + 3)).isLessThanOrEqualTo(limit);
    }
}
