package dev.berth.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.testing.PaxTar;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Extended attributes from the raw bytes of PAX headers, and the headers the reader refuses. */
class LayerReaderPaxTest {

    /** What {@code setcap cap_setuid,cap_net_raw+ep} stores: version 2, effective, then the masks; 0x80 is not UTF-8 alone. */
    static final byte[] CAPABILITY = {0x01, 0x00, 0x00, 0x02, (byte) 0x80, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

    private static List<Entry> read(byte[] tar) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (LayerReader reader = LayerReader.open(new ByteArrayInputStream(tar), 1L << 30, "--test-limit")) {
            for (Entry e; (e = reader.next()) != null; ) {
                entries.add(e);
            }
            reader.finish();
        }
        return entries;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void binaryValuesComeOutByteForByteAndOnlyForTheirEntry() throws IOException {
        byte[] records = concat(PaxTar.record("SCHILY.xattr.security.capability", CAPABILITY),
                PaxTar.record("mtime", "1700000000.5".getBytes(StandardCharsets.US_ASCII)),
                PaxTar.record("SCHILY.xattr.user.note", "h\u00e9 \n=x".getBytes(StandardCharsets.UTF_8)),
                PaxTar.record("LIBARCHIVE.xattr.user.b%3Dx", Base64.getEncoder().withoutPadding().encode(new byte[] {(byte) 0xff, 0, 1})));
        byte[] tar = new PaxTar().pax(records).file("bin/ping", "elf".getBytes(), 0755).file("bin/other", new byte[0], 0644).tar();

        List<Entry> entries = read(tar);

        assertThat(entries).extracting(Entry::name).containsExactly("bin/ping", "bin/other");
        assertThat(entries.get(0).xattrs()).containsExactly(new Xattr("security.capability", CAPABILITY),
                new Xattr("user.note", "h\u00e9 \n=x".getBytes(StandardCharsets.UTF_8)), new Xattr("user.b=x", new byte[] {(byte) 0xff, 0, 1}));
        assertThat(entries.get(1).xattrs()).isEmpty();
    }

    static Stream<Arguments> lies() {
        byte[] good = PaxTar.record("SCHILY.xattr.user.a", "abcd".getBytes());
        return Stream.of(
                Arguments.of("a length past the header", concat(good, "99 SCHILY.xattr.user.b=x\n".getBytes()), "past the end of its header"),
                Arguments.of("a length short of the newline", concat("27 SCHILY.xattr.user.a=abcd\n".getBytes(), good),
                        "does not end where its length of 27 says"),
                Arguments.of("no length", concat(good, "SCHILY.xattr.user.b=x\n".getBytes()), "does not start with its length"));
    }

    /** commons-compress parses the header first and refuses these itself; that must stay so, on one line. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lies")
    void aHeaderThatLiesAboutItsRecordsIsRefusedInOneLine(String lie, byte[] records, String why) {
        byte[] tar = new PaxTar().pax(records).file("bin/ping", "elf".getBytes(), 0755).tar();

        assertThatThrownBy(() -> read(tar)).isInstanceOfSatisfying(LayerReadException.class,
                e -> assertThat(e.getMessage()).containsIgnoringCase("paxheader").doesNotContain("\n"));
    }

    /** Berth's own parser of the raw bytes, the second reader of every header, refuses the same lies with its own words. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lies")
    void theRawParserRefusesTheSameLies(String lie, byte[] records, String why) {
        assertThatThrownBy(() -> PaxRecords.xattrs(records)).isInstanceOf(Refusal.class)
                .hasMessageStartingWith("the PAX record at byte").hasMessageContaining(why);
    }

    @Test
    void headersThatAddUpToMoreThanOneMebibyteBeforeOneEntryAreRefused() {
        byte[] part = PaxTar.record("SCHILY.xattr.user.part", new byte[400 << 10]);
        byte[] tar = new PaxTar().pax(part).pax(part).pax(part).file("bin/ping", "elf".getBytes(), 0755).tar();

        assertThatThrownBy(() -> read(tar)).isInstanceOf(LayerReadException.class)
                .hasMessageContaining("refused: PAX headers of more than 1 MiB before one entry");
    }

    @Test
    void aHeaderOfMoreThanOneMebibyteIsRefused() {
        byte[] big = PaxTar.record("SCHILY.xattr.user.big", new byte[(1 << 20) + 1]);
        byte[] tar = new PaxTar().pax(big).file("bin/ping", "elf".getBytes(), 0755).tar();

        assertThatThrownBy(() -> read(tar)).isInstanceOf(LayerReadException.class)
                .hasMessageContaining("refused: a PAX header of " + big.length + " bytes, more than 1 MiB");
    }
}
