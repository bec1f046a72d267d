package dev.berth.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.berth.oci.Digest;
import dev.berth.testing.GzipBomb;
import dev.berth.testing.SparseTar;
import dev.berth.testing.TarBuilder;
import dev.berth.testing.TestLayer;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one layer reader over real tars made by hand: formats, whiteouts, the policy, the limit, the diff id. */
class LayerReaderTest {

    private static final String SETTING = "--test-limit";

    private static TestLayer sample() {
        return TestLayer.create()
                .dir("./", 0755)
                .dir("./etc", 0755)
                .file("etc/hostname", "berth\n", 0644)
                .symlink("bin/sh", "/bin/busybox")
                .hardlink("bin/sh2", "./etc//hostname")
                .charDevice("dev/null", 1, 3, 0666)
                .blockDevice("dev/loop0", 7, 0, 0660)
                .fifo("run/pipe", 0620)
                .file("var/cache/.wh.apt", "", 0644)
                .file("opt/app/.wh..wh..opq", "", 0644)
                .file(".wh..wh..opq", "", 0644)
                .file(".wh..wh.plnk", "", 0644)
                .ownedBy(1000, 1001)
                .file("home/app/notes", "hi", 04750);
    }

    /** Every entry, with its content as text where it has any. */
    private static List<Object[]> read(byte[] layer) throws IOException {
        return read(layer, 1L << 30);
    }

    private static List<Object[]> read(byte[] layer, long limit) throws IOException {
        List<Object[]> out = new ArrayList<>();
        try (LayerReader reader = LayerReader.open(new ByteArrayInputStream(layer), limit, SETTING)) {
            for (Entry e; (e = reader.next()) != null; ) {
                out.add(new Object[] {e, new String(reader.content().readAllBytes(), StandardCharsets.UTF_8)});
            }
            reader.finish();
        }
        return out;
    }

    private static List<Entry> entries(byte[] layer) throws IOException {
        return read(layer).stream().map(row -> (Entry) row[0]).toList();
    }

    static Stream<Arguments> formats() {
        return Stream.of(Arguments.of("tar", (Function<TestLayer, byte[]>) TestLayer::tar),
                Arguments.of("gzip", (Function<TestLayer, byte[]>) TestLayer::gzip),
                Arguments.of("zstd", (Function<TestLayer, byte[]>) TestLayer::zstd));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void readsEachFormatToTheSameEntriesWithWhiteoutsDecodedAndBookkeepingSkipped(String format,
                                                                                  Function<TestLayer, byte[]> encode) throws IOException {
        List<Object[]> rows = read(encode.apply(sample()));
        List<Entry> entries = rows.stream().map(row -> (Entry) row[0]).toList();

        assertThat(entries).extracting(e -> e.path().toString(), Entry::kind).containsExactly(
                tuple("etc", Entry.Kind.DIRECTORY),
                tuple("etc/hostname", Entry.Kind.FILE),
                tuple("bin/sh", Entry.Kind.SYMLINK),
                tuple("bin/sh2", Entry.Kind.HARDLINK),
                tuple("dev/null", Entry.Kind.CHAR_DEVICE),
                tuple("dev/loop0", Entry.Kind.BLOCK_DEVICE),
                tuple("run/pipe", Entry.Kind.FIFO),
                tuple("var/cache/apt", Entry.Kind.WHITEOUT),
                tuple("opt/app", Entry.Kind.OPAQUE),
                tuple("", Entry.Kind.OPAQUE),
                tuple("home/app/notes", Entry.Kind.FILE));
        assertThat(rows.get(1)[1]).isEqualTo("berth\n");
        Entry notes = entries.get(10);
        assertThat(notes).extracting(Entry::name, Entry::mode, Entry::uid, Entry::gid, Entry::size, Entry::mtime)
                .containsExactly("home/app/notes", 04750, 1000L, 1001L, 2L, FileTime.fromMillis(1_700_000_000_000L));
        assertThat(entries.get(2).linkName()).isEqualTo("/bin/busybox");
        assertThat(entries.get(3).hardLinkTarget()).isEqualTo(EntryPath.parse("etc/hostname"));
        assertThat(entries.get(4)).extracting(Entry::devMajor, Entry::devMinor).containsExactly(1, 3);
        assertThat(entries.get(7).name()).isEqualTo("var/cache/.wh.apt");
    }

    @Test
    void theDiffIdIsTheDigestOfTheWholeUncompressedTar() throws IOException {
        byte[] tar = sample().tar();
        byte[] padded = Arrays.copyOf(tar, tar.length + 20_000); // zeros after the end, as some tools write
        byte[] gzip = TarBuilder.gzip(padded);

        try (LayerReader reader = LayerReader.openHashed(new ByteArrayInputStream(gzip), 1L << 30, SETTING)) {
            while (reader.next() != null) {
                // the entries' contents are left for the reader to skip: they are hashed all the same
            }
            assertThatThrownBy(reader::diffId).isInstanceOf(IllegalStateException.class);
            reader.finish();
            assertThat(reader.diffId()).isEqualTo(Digest.sha256(padded));
        }
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(TestLayer.create().file("../x", "x", 0644), "entry ../x: refused: .. climbs out of the layer root"),
                Arguments.of(TestLayer.create().file("a/../../x", "x", 0644), "entry a/../../x: refused: .. climbs out of the layer root"),
                Arguments.of(TestLayer.create().file("a/../b", "x", 0644), "entry a/../b: refused: .. climbs out of the layer root"),
                Arguments.of(TestLayer.create().file("/etc/x", "x", 0644), "entry /etc/x: refused: absolute names are not allowed"),
                Arguments.of(TestLayer.create().dir("/", 0755), "entry /: refused: absolute names are not allowed"),
                // A header's name field ends at its first NUL; a PAX path record (for a long name) can carry one.
                Arguments.of(TestLayer.create().file("etc/" + "n".repeat(100) + "\0b", "x", 0644),
                        "entry etc/" + "n".repeat(100) + "?b: refused: names cannot contain NUL"),
                Arguments.of(TestLayer.create().file("", "x", 0644), "entry (no name): refused: an entry needs a name"),
                Arguments.of(TestLayer.create().hardlink("h", "../x"), "entry h: refused: hard link target ../x: .. climbs out of the layer root"),
                Arguments.of(TestLayer.create().hardlink("h", "/etc/passwd"),
                        "entry h: refused: hard link target /etc/passwd: absolute names are not allowed"),
                Arguments.of(TestLayer.create().hardlink("h", "./"), "entry h: refused: a hard link to the root"),
                Arguments.of(TestLayer.create().file("etc/.wh.", "", 0644), "entry etc/.wh.: refused: not a valid whiteout"),
                Arguments.of(TestLayer.create().file(".wh..", "", 0644), "entry .wh..: refused: not a valid whiteout"),
                Arguments.of(TestLayer.create().file("a/.wh...", "", 0644), "entry a/.wh...: refused: not a valid whiteout"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("refused")
    void refusesByThePolicyNamingTheEntry(TestLayer layer, String message) {
        assertThatThrownBy(() -> read(layer.gzip())).isInstanceOf(LayerReadException.class).hasMessage(message)
                .satisfies(e -> assertThat(((LayerReadException) e).refused()).isTrue());
    }

    @Test
    void anEntryNamedWithAControlCharacterIsNamedOnOneLine() {
        assertThatThrownBy(() -> read(TestLayer.create().file("../a\nb", "x", 0644).tar()))
                .hasMessage("entry ../a?b: refused: .. climbs out of the layer root");
    }

    static Stream<Arguments> bombs() {
        return GzipBomb.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bombs")
    void aLayerPastTheLimitIsRefusedAsSoonAsItPassesIt(String name, GzipBomb bomb, String where) throws IOException {
        long limit = (1L << 20) + 4096;
        long[] read = {0};
        InputStream counting = bomb.counting(read);

        try (LayerReader reader = LayerReader.open(counting, limit, SETTING)) {
            assertThatThrownBy(() -> {
                while (reader.next() != null) {
                    reader.content().transferTo(java.io.OutputStream.nullOutputStream());
                }
                reader.finish();
            }).isInstanceOf(LayerReadException.class)
                    .hasMessage(where + "refused: the layer unpacks to more than 1028 KiB, the limit (--test-limit)");
        }
        assertThat(read[0]).as("compressed bytes read of " + bomb.gzip().length).isLessThan(bomb.gzip().length / 4);
    }

    @Test
    void aSparseFileCountsWhatItUnpacksToHolesIncluded(@TempDir Path tmp) throws Exception {
        long mib = 1L << 20;
        byte[] one = SparseTar.of(tmp.resolve("one"), 1, 4 * mib);
        byte[] three = SparseTar.of(tmp.resolve("three"), 3, 4 * mib);

        try (LayerReader reader = LayerReader.open(new ByteArrayInputStream(one), 5 * mib, SETTING)) {
            Entry holes = reader.next();
            byte[] content = reader.content().readAllBytes();
            assertThat(holes.size()).isEqualTo(4 * mib + 3).isEqualTo(content.length);
            assertThat(new String(content, content.length - 3, 3, StandardCharsets.US_ASCII)).isEqualTo(SparseTar.TAIL);
            assertThat(reader.next()).isNull();
            reader.finish();
        }
        // One larger than the limit, refused before any of it is read; three each within it, refused at the one that passes it.
        assertThatThrownBy(() -> read(one, 2 * mib)).isInstanceOf(LayerReadException.class)
                .hasMessage("entry holes0: refused: the layer unpacks to more than 2 MiB, the limit (--test-limit)");
        assertThatThrownBy(() -> read(three, 10 * mib)).isInstanceOf(LayerReadException.class)
                .hasMessage("entry holes2: refused: the layer unpacks to more than 10 MiB, the limit (--test-limit)");
    }

    @Test
    void bytesThatAreNoLayerAreUnreadableNotRefused() {
        byte[] json = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".repeat(40).getBytes(StandardCharsets.UTF_8);
        byte[] gzip = TestLayer.create().file("big", "y".repeat(5000), 0644).gzip();
        byte[] corrupt = gzip.clone();
        corrupt[corrupt.length / 2] ^= 0x55;
        byte[] truncated = Arrays.copyOf(TestLayer.create().file("big", "y".repeat(5000), 0644).tar(), 2048);

        for (byte[] layer : List.of(json, TarBuilder.gzip(json), corrupt)) {
            assertThatThrownBy(() -> read(layer)).isInstanceOf(LayerReadException.class)
                    .satisfies(e -> assertThat(((LayerReadException) e).refused()).isFalse())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").isNotBlank());
        }
        assertThatThrownBy(() -> read(truncated)).isInstanceOf(LayerReadException.class)
                .hasMessageStartingWith("entry big: ");
    }

    @Test
    void aFailureOfTheStreamReadIsThrownAsItCameAndTheStreamIsNotClosed() throws IOException {
        byte[] gzip = sample().gzip();
        IOException broken = new IOException("connection reset");
        boolean[] closed = {false};
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(gzip, 0, gzip.length / 2)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw broken;
                }
                return n;
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };

        assertThatThrownBy(() -> {
            try (LayerReader reader = LayerReader.open(failing, 1L << 30, SETTING)) {
                while (reader.next() != null) {
                    reader.content().readAllBytes();
                }
            }
        }).isSameAs(broken);
        assertThat(closed[0]).as("the caller's stream closed").isFalse();

        byte[] tar = sample().tar();
        boolean[] closedToo = {false};
        InputStream whole = new FilterInputStream(new ByteArrayInputStream(Arrays.copyOf(tar, tar.length + 7))) {
            @Override
            public void close() {
                closedToo[0] = true;
            }
        };
        try (LayerReader reader = LayerReader.open(whole, 1L << 30, SETTING)) {
            while (reader.next() != null) {
                // to the end of the tar
            }
            reader.finish();
        }
        assertThat(closedToo[0]).as("the caller's stream closed").isFalse();
    }

    @Test
    void anEmptyStreamIsAnEmptyLayer() throws IOException {
        assertThat(entries(new byte[0])).isEmpty();
    }
}
