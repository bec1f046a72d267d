package dev.berth.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.content.FileContentStore;
import dev.berth.layer.ImageArchiveException;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.runtime.snapshot.SnapshotStore;
import dev.berth.runtime.unpack.LayerUnpacker;
import dev.berth.testing.TestImage;
import dev.berth.testing.TestLayer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code berth save} and {@code berth load} on real tars and a real content store: what is written, read, and refused. */
class ImageArchiveTest {

    private static final ImageReference NAME = ImageReference.parse("registry.example/team/app:v1");

    @TempDir
    Path from;

    @TempDir
    Path to;

    private TestImage image;
    private ImageRecord saved;
    private byte[] manifest;

    @BeforeEach
    void setUp() throws IOException {
        image = TestImage.create()
                .layer(TestLayer.create().dir("etc", 0755).file("etc/app", "app " + from.getFileName(), 0644), MediaType.OCI_LAYER_GZIP)
                .layer(TestLayer.create().file("data", new byte[70_000], 0644), MediaType.OCI_LAYER_ZSTD);
        FileContentStore content = new FileContentStore(from);
        Digest config = Digest.sha256(image.config());
        content.put(config, image.config());
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\"" + MediaType.OCI_CONFIG + "\",\"digest\":\"" + config + "\",\"size\":"
                + image.config().length + "},\"layers\":[");
        List<dev.berth.oci.Descriptor> layers = new ArrayList<>();
        MediaType[] types = {MediaType.OCI_LAYER_GZIP, MediaType.OCI_LAYER_ZSTD};
        for (int i = 0; i < 2; i++) {
            byte[] blob = image.layerBlobs().get(i);
            Digest d = Digest.sha256(blob);
            content.put(d, blob);
            layers.add(new dev.berth.oci.Descriptor(types[i], d, blob.length, null, null, null));
            json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(types[i]).append("\",\"digest\":\"").append(d)
                    .append("\",\"size\":").append(blob.length).append('}');
        }
        manifest = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        Digest manifestDigest = Digest.sha256(manifest);
        content.put(manifestDigest, manifest);
        saved = new ImageRecord(NAME, manifestDigest, manifestDigest, config, layers, null, 70_020);
        new ImageStore(from).put(saved);
    }

    private byte[] save(ArchiveFormat format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ImageSaver(new FileContentStore(from)).save(List.of(saved), format, out);
        return out.toByteArray();
    }

    private List<ImageRecord> load(byte[] archive) throws IOException {
        return new ImageLoader(new FileContentStore(to), new ImageStore(to), new SnapshotStore(to, new LayerUnpacker(false)),
                LayerUnpacker.DEFAULT_MAX_UNPACKED_SIZE).load(new ByteArrayInputStream(archive), Platform.host());
    }

    /** Every entry of a tar: name → content (directories: null). */
    private static Map<String, byte[]> entries(byte[] tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), e.isDirectory() ? null : in.readAllBytes());
                assertThat(e.getModTime().getTime()).isZero();
                assertThat(e.getLongUserId()).isZero();
            }
        }
        return out;
    }

    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        return tar(files, Map.of());
    }

    /** The files, then the symbolic links (name → target). */
    private static byte[] tar(Map<String, byte[]> files, Map<String, String> links) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey(), true); // true: keep a leading /
                e.setSize(f.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, String> l : links.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(l.getKey(), TarArchiveEntry.LF_SYMLINK, true);
                e.setLinkName(l.getValue());
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void aDockerArchiveHoldsManifestJsonRepositoriesAndTheLayoutWithEveryBlobAsStored() throws IOException {
        Map<String, byte[]> entries = entries(save(ArchiveFormat.DOCKER));

        String config = Digest.sha256(image.config()).hex();
        String layer0 = Digest.sha256(image.layerBlobs().get(0)).hex();
        String layer1 = Digest.sha256(image.layerBlobs().get(1)).hex();
        assertThat(entries.keySet()).containsExactly("blobs/", "blobs/sha256/", "blobs/sha256/" + layer0, "blobs/sha256/" + layer1,
                "blobs/sha256/" + config, "blobs/sha256/" + saved.manifest().hex(), "index.json", "manifest.json", "oci-layout",
                "repositories");
        assertThat(entries.get("blobs/sha256/" + layer0)).isEqualTo(image.layerBlobs().get(0));
        assertThat(entries.get("blobs/sha256/" + saved.manifest().hex())).isEqualTo(manifest);
        assertThat(text(entries.get("manifest.json"))).isEqualTo("[{\"Config\":\"blobs/sha256/" + config
                + "\",\"RepoTags\":[\"registry.example/team/app:v1\"],\"Layers\":[\"blobs/sha256/" + layer0 + "\",\"blobs/sha256/"
                + layer1 + "\"]}]");
        assertThat(text(entries.get("repositories"))).isEqualTo("{\"registry.example/team/app\":{\"v1\":\"" + layer1 + "\"}}");
        assertThat(text(entries.get("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");
        assertThat(text(entries.get("index.json"))).isEqualTo("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + saved.manifest()
                + "\",\"size\":" + manifest.length + ",\"annotations\":{\"io.containerd.image.name\":\"registry.example/team/app:v1\","
                + "\"org.opencontainers.image.ref.name\":\"v1\"}}]}");
        assertThat(save(ArchiveFormat.DOCKER)).as("the same images give the same bytes").isEqualTo(save(ArchiveFormat.DOCKER));
    }

    @Test
    void anOciArchiveIsTheLayoutOnly() throws IOException {
        assertThat(entries(save(ArchiveFormat.OCI)).keySet()).doesNotContain("manifest.json", "repositories")
                .contains("oci-layout", "index.json", "blobs/sha256/" + saved.manifest().hex());
    }

    @ParameterizedTest
    @EnumSource(ArchiveFormat.class)
    void saveThenLoadKeepsEveryDigestAndUnpacksTheLayers(ArchiveFormat format) throws IOException {
        List<ImageRecord> loaded = load(save(format));

        assertThat(loaded).singleElement().satisfies(r -> {
            assertThat(r.reference()).isEqualTo(NAME);
            assertThat(r.manifest()).isEqualTo(saved.manifest());
            assertThat(r.config()).isEqualTo(saved.config());
            assertThat(r.layers()).isEqualTo(saved.layers());
            assertThat(r.unpackedSize()).isEqualTo(70_000 + ("app " + from.getFileName()).length());
        });
        assertThat(new ImageStore(to).find(NAME)).contains(loaded.get(0));
        List<Digest> chains = SnapshotStore.chainIds(image.diffIds());
        assertThat(to.resolve("snapshots").resolve(chains.get(1).hex()).resolve("data")).hasSize(70_000);
        assertThat(to.resolve("ingest")).isEmptyDirectory();
        assertThat(blobs(to)).containsExactlyInAnyOrderElementsOf(blobs(from));
    }

    @Test
    void anIndexInTheLayoutLoadsThisMachinesImage() throws IOException {
        Map<String, byte[]> entries = entries(save(ArchiveFormat.OCI));
        entries.remove("blobs/");
        entries.remove("blobs/sha256/");
        Platform host = Platform.host();
        String other = Digest.sha256("another platform's manifest".getBytes(StandardCharsets.UTF_8)).toString();
        byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"digest\":\"" + other + "\",\"size\":27,"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"s390x\"}},"
                + "{\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"digest\":\"" + saved.manifest() + "\",\"size\":" + manifest.length
                + ",\"platform\":{\"os\":\"" + host.os() + "\",\"architecture\":\"" + host.architecture() + "\""
                + (host.variant() == null ? "" : ",\"variant\":\"" + host.variant() + "\"") + "}}]}").getBytes(StandardCharsets.UTF_8);
        Digest indexDigest = Digest.sha256(index);
        entries.put("blobs/sha256/" + indexDigest.hex(), index);
        entries.put("index.json", ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"digest\":\""
                + indexDigest + "\",\"size\":" + index.length + ",\"annotations\":{\"io.containerd.image.name\":"
                + "\"registry.example/team/multi:v1\"}}]}").getBytes(StandardCharsets.UTF_8));

        List<ImageRecord> loaded = load(tar(entries));

        assertThat(loaded).singleElement().satisfies(r -> {
            assertThat(r.reference()).isEqualTo(ImageReference.parse("registry.example/team/multi:v1"));
            assertThat(r.resolved()).isEqualTo(indexDigest);
            assertThat(r.manifest()).isEqualTo(saved.manifest());
        });
    }

    @Test
    void aGzippedArchiveLoadsToo() throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
            gzip.write(save(ArchiveFormat.DOCKER));
        }

        assertThat(load(gzipped.toByteArray())).singleElement().extracting(ImageRecord::manifest).isEqualTo(saved.manifest());
    }

    @Test
    void aDockerArchiveWithoutALayoutGetsAnOciManifestOfItsConfigAndLayers() throws IOException {
        String config = Digest.sha256(image.config()).hex();
        byte[] plainTar = TestLayer.create().file("plain", "a plain tar layer", 0644).tar();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("0123abcd/layer.tar", image.layerBlobs().get(0));
        files.put("0123abcd/json", "{}".getBytes(StandardCharsets.UTF_8));
        files.put(config + ".json", image.config());
        files.put("manifest.json", ("[{\"Config\":\"" + config + ".json\",\"RepoTags\":[\"team/app:old\"],"
                + "\"Layers\":[\"0123abcd/layer.tar\",\"./4567cdef/layer.tar\"]}]").getBytes(StandardCharsets.UTF_8));
        files.put("second.tar", image.layerBlobs().get(1));
        files.put("unused.tar", plainTar);

        // skopeo's and podman's docker-archive name each layer once more by a link: <id>/layer.tar -> ../<hex>.tar
        List<ImageRecord> loaded = load(tar(files, Map.of("4567cdef/layer.tar", "../second.tar")));

        assertThat(loaded).singleElement().satisfies(r -> {
            assertThat(r.reference()).isEqualTo(ImageReference.parse("docker.io/team/app:old"));
            assertThat(r.config()).isEqualTo(saved.config());
            assertThat(r.layers()).extracting(dev.berth.oci.Descriptor::mediaType)
                    .containsExactly(MediaType.OCI_LAYER_GZIP, MediaType.OCI_LAYER_ZSTD);
            assertThat(r.layers()).extracting(dev.berth.oci.Descriptor::digest).isEqualTo(saved.layers().stream()
                    .map(dev.berth.oci.Descriptor::digest).toList());
        });
        assertThat(new FileContentStore(to).contains(Digest.sha256(plainTar))).as("a file no image uses is not kept").isFalse();
        assertThat(new FileContentStore(to).contains(Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)))).isFalse();
    }

    @Test
    void aLayerThatIsNotTheConfigsDiffIdIsRefusedAndNothingIsKept() throws IOException {
        String config = Digest.sha256(image.config()).hex();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(config + ".json", image.config());
        files.put("a.tar", image.layerBlobs().get(1));
        files.put("b.tar", image.layerBlobs().get(0));
        files.put("manifest.json", ("[{\"Config\":\"" + config + ".json\",\"RepoTags\":[\"team/app:swapped\"],"
                + "\"Layers\":[\"a.tar\",\"b.tar\"]}]").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> load(tar(files))).isInstanceOf(ImageArchiveException.class)
                .hasMessageContaining("unpacks to " + image.diffIds().get(1) + ", but the image config says " + image.diffIds().get(0));
        assertUnchanged();
    }

    @Test
    void aBlobWhoseContentIsNotItsNameIsRefusedAndNothingIsKept() throws IOException {
        Map<String, byte[]> entries = entries(save(ArchiveFormat.DOCKER));
        String layer = "blobs/sha256/" + Digest.sha256(image.layerBlobs().get(1)).hex();
        byte[] changed = entries.get(layer).clone();
        changed[changed.length / 2] ^= 1;
        entries.put(layer, changed);
        entries.remove("blobs/");
        entries.remove("blobs/sha256/");

        assertThatThrownBy(() -> load(tar(entries))).isInstanceOf(ImageArchiveException.class)
                .hasMessageStartingWith("entry " + layer + ": ").hasMessageEndingWith("; refused")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertUnchanged();
    }

    @Test
    void aTruncatedArchiveIsRefusedAndNothingIsKept() throws IOException {
        byte[] whole = save(ArchiveFormat.DOCKER);
        // blobs/ and blobs/sha256/ are a header each, then the first layer's header: cut in the middle of its content
        byte[] cut = java.util.Arrays.copyOf(whole, 3 * 512 + image.layerBlobs().get(0).length / 2);

        assertThatThrownBy(() -> load(cut)).isInstanceOf(ImageArchiveException.class)
                .hasMessageContaining("the archive ends inside it");
        assertUnchanged();
    }

    @Test
    void namesOutsideTheArchiveLinksAndDuplicatesAreRefused() throws IOException {
        byte[] archive = save(ArchiveFormat.DOCKER);
        for (String hostile : List.of("../x", "/abs", "blobs/../../x")) {
            Map<String, byte[]> files = new LinkedHashMap<>(entries(archive));
            files.remove("blobs/");
            files.remove("blobs/sha256/");
            files.put(hostile, "x".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> load(tar(files))).as(hostile).isInstanceOf(ImageArchiveException.class)
                    .hasMessageStartingWith("entry " + hostile + ": ").hasMessageEndingWith("; refused");
        }
        assertUnchanged();
    }

    @Test
    void aSymbolicLinkOutOfTheArchiveIsRefused() throws IOException {
        for (String target : List.of("/etc/passwd", "../../etc/passwd", "a/../..")) {
            assertThatThrownBy(() -> load(tar(Map.of(), Map.of("blobs/link", target)))).as(target)
                    .isInstanceOf(ImageArchiveException.class)
                    .hasMessage("entry blobs/link: a symbolic link to " + target + ", out of the archive; refused");
        }
        assertUnchanged();
    }

    @Test
    void metadataMustBeAFileAndHardLinksAreRefused() throws IOException {
        assertThatThrownBy(() -> load(tar(Map.of("other.json", "[]".getBytes(StandardCharsets.UTF_8)),
                Map.of("manifest.json", "other.json")))).isInstanceOf(ImageArchiveException.class)
                .hasMessage("entry manifest.json: a symbolic link; it must be a file; refused");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry link = new TarArchiveEntry("x.tar", TarArchiveEntry.LF_LINK);
            link.setLinkName("y.tar");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> load(bytes.toByteArray())).isInstanceOf(ImageArchiveException.class)
                .hasMessage("entry x.tar: a hard link to y.tar; an image archive holds only files, directories and "
                        + "symbolic links inside it; refused");
        assertUnchanged();
    }

    @Test
    void aMetadataEntryLargerThanTheBoundIsRefusedBeforeItIsRead() throws IOException {
        // A manifest.json of gigabytes would be read into memory whole: the bound refuses it at its header.
        byte[] huge = new byte[ArchiveIngest.MAX_METADATA + 1];
        Arrays.fill(huge, (byte) ' ');
        assertThatThrownBy(() -> load(tar(Map.of("manifest.json", huge)))).isInstanceOf(ImageArchiveException.class)
                .hasMessage("entry manifest.json: larger than " + ArchiveIngest.MAX_METADATA + " bytes; refused");
        assertUnchanged();
    }

    private void assertUnchanged() throws IOException {
        assertThat(to.resolve("images.json")).doesNotExist();
        assertThat(blobs(to)).isEmpty();
        assertThat(to.resolve("ingest")).isEmptyDirectory();
        Path snapshots = to.resolve("snapshots");
        if (Files.exists(snapshots)) {
            try (Stream<Path> left = Files.list(snapshots)) {
                assertThat(left.toList()).isEmpty();
            }
        }
    }

    private static List<Digest> blobs(Path root) throws IOException {
        try (Stream<Digest> all = new FileContentStore(root).list()) {
            return all.toList();
        }
    }
}
