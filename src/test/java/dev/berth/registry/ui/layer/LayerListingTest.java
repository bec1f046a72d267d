package dev.berth.registry.ui.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.layer.LayerReadException;
import dev.berth.registry.ui.layer.LayerEntry.EntryKind;
import dev.berth.testing.TarBuilder;
import dev.berth.testing.TestLayer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerListingTest {

    private static TarBuilder sample() {
        return new TarBuilder()
                .dir("./etc")
                .file("./etc/hostname", "berth\n")
                .file("bin/tool", "#!/bin/sh\n", 04755)
                .symlink("bin/sh", "/bin/busybox")
                .hardlink("bin/tool2", "./bin/tool")
                .owned("home/app/notes.txt", "hello", 1000, 1001)
                .whiteout("var/cache/apt")
                .opaque("opt/app");
    }

    @Test
    void readsEveryEntryWithPathsCleanedAndWhiteoutsDecoded() throws IOException {
        List<LayerEntry> entries = read(sample().tar());

        assertThat(entries).containsExactly(
                new LayerEntry("etc", EntryKind.DIRECTORY, 0, 0755, 0, 0, null, null),
                new LayerEntry("etc/hostname", EntryKind.FILE, 6, 0644, 0, 0, null, sha64("berth\n".getBytes())),
                new LayerEntry("bin/tool", EntryKind.FILE, 10, 04755, 0, 0, null, sha64("#!/bin/sh\n".getBytes())),
                new LayerEntry("bin/sh", EntryKind.SYMLINK, 0, 0777, 0, 0, "/bin/busybox", null),
                new LayerEntry("bin/tool2", EntryKind.HARDLINK, 0, 0644, 0, 0, "bin/tool", null),
                new LayerEntry("home/app/notes.txt", EntryKind.FILE, 5, 0644, 1000, 1001, null, sha64("hello".getBytes())),
                new LayerEntry("var/cache/apt", EntryKind.WHITEOUT, 0, 0644, 0, 0, null, null),
                new LayerEntry("opt/app", EntryKind.OPAQUE, 0, 0644, 0, 0, null, null));
    }

    @Test
    void gzipAndZstdLayersReadTheSameAsPlainTar() throws IOException {
        List<LayerEntry> plain = read(sample().tar());

        assertThat(read(sample().gzip())).isEqualTo(plain);
        assertThat(read(sample().zstd())).isEqualTo(plain);
    }

    @Test
    void aWhiteoutAtTheRootNamesARootPath() throws IOException {
        List<LayerEntry> entries = read(new TarBuilder().whiteout("tmp").opaque(".").tar());

        assertThat(entries).extracting(LayerEntry::path, LayerEntry::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("tmp", EntryKind.WHITEOUT),
                        org.assertj.core.groups.Tuple.tuple("", EntryKind.OPAQUE));
    }

    @Test
    void readsALayerFarLargerThanItsBuffersWithoutKeepingIt() throws IOException {
        // A 64 MiB file (never materialized: the stream below makes it up as it is read).
        long size = 64L * 1024 * 1024;
        InputStream huge = new SyntheticTar("big/blob.bin", size);

        List<LayerEntry> entries = new ArrayList<>();
        long count = LayerListing.read(huge, entries::add);

        assertThat(count).isEqualTo(1);
        assertThat(entries.get(0)).isEqualTo(new LayerEntry("big/blob.bin", EntryKind.FILE, size, 0644, 0, 0, null, sha64(new byte[(int) size])));
    }

    @Test
    void aBlobThatIsNoArchiveIsAnError() {
        byte[] json = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"}}".repeat(20).getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> read(json)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read(TarBuilder.gzip(json))).isInstanceOf(IOException.class);
    }

    @Test
    void refusesWhatTheRuntimeRefusesInsteadOfResolvingIt() {
        byte[] dotDot = TestLayer.create().file("ok", "x", 0644).file("a/../../etc/x", "x", 0644).tar();
        byte[] absolute = TestLayer.create().file("/etc/passwd", "x", 0644).tar();
        byte[] hardLinkOut = TestLayer.create().hardlink("h", "../etc/shadow").tar();

        assertThatThrownBy(() -> read(dotDot)).isInstanceOf(LayerReadException.class)
                .hasMessage("entry a/../../etc/x: refused: .. climbs out of the layer root");
        assertThatThrownBy(() -> read(absolute)).isInstanceOf(LayerReadException.class)
                .hasMessage("entry /etc/passwd: refused: absolute names are not allowed");
        assertThatThrownBy(() -> read(hardLinkOut)).isInstanceOf(LayerReadException.class)
                .hasMessage("entry h: refused: hard link target ../etc/shadow: .. climbs out of the layer root");
    }

    @Test
    void aDirectoryOfAPageIsCleanedByThePolicyAndOtherwiseTheRoot() {
        assertThat(LayerListing.directory("./usr//bin/")).isEqualTo("usr/bin");
        assertThat(LayerListing.directory("./")).isEmpty();
        assertThat(LayerListing.directory(null)).isEmpty();
        assertThat(LayerListing.directory("/etc")).isEmpty();
        assertThat(LayerListing.directory("a/../../b")).isEmpty();
    }

    @Test
    void aufsBookkeepingAndTheRootItselfAreNotListed() throws IOException {
        List<LayerEntry> entries = read(new TarBuilder().dir("./").file(".wh..wh.aufs", "").file("etc/.wh..wh.plnk", "").file("etc/x", "x").tar());

        assertThat(entries).extracting(LayerEntry::path).containsExactly("etc/x");
    }

    @Test
    void filesOfTheSameSizeWithOtherContentHashDifferently() throws IOException {
        LayerEntry a = read(new TarBuilder().file("etc/os-release", "debian").tar()).get(0);
        LayerEntry b = read(new TarBuilder().file("etc/os-release", "trixie").tar()).get(0);

        assertThat(a.size()).isEqualTo(b.size());
        assertThat(a.contentHash()).isNotEqualTo(b.contentHash()).hasSize(16);
    }

    private static String sha64(byte[] content) {
        return java.util.HexFormat.of().formatHex(dev.berth.oci.Digest.Algorithm.SHA256.newMessageDigest().digest(content), 0, 8);
    }

    private static List<LayerEntry> read(byte[] layer) throws IOException {
        List<LayerEntry> out = new ArrayList<>();
        LayerListing.read(new ByteArrayInputStream(layer), out::add);
        return out;
    }

    /** A tar holding one file of zeros, produced on the fly as it is read. */
    private static final class SyntheticTar extends InputStream {
        private final InputStream header;
        private long zeros;
        private long trailer = 1024;

        SyntheticTar(String name, long size) {
            byte[] full = new TarBuilder().file(name, "").tar();
            byte[] block = java.util.Arrays.copyOf(full, 512);
            // Rewrite the size field (offset 124, 11 octal digits) and the checksum (offset 148).
            byte[] octal = String.format("%011o", size).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(octal, 0, block, 124, 11);
            java.util.Arrays.fill(block, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte b : block) {
                sum += b & 0xff;
            }
            byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(checksum, 0, block, 148, 8);
            this.header = new ByteArrayInputStream(block);
            this.zeros = (size + 511) / 512 * 512;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = header.read(b, off, len);
            if (n > 0) {
                return n;
            }
            long left = zeros > 0 ? zeros : trailer;
            if (left == 0) {
                return -1;
            }
            int take = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + take, (byte) 0);
            if (zeros > 0) {
                zeros -= take;
            } else {
                trailer -= take;
            }
            return take;
        }
    }
}
