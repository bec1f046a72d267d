package dev.berth.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds small, real, runnable test images from the static {@code /bin/busybox} of Debian's
 * busybox-static: no registry is reachable here, so every image is made on this machine.
 * Layers, config and manifest are written by hand, with their digests computed as they stream.
 */
final class TestImages {

    static final Path BUSYBOX = Path.of("/bin/busybox");
    static final List<String> APPLETS = List.of("sh", "echo", "cat", "ls", "true", "env", "sha256sum");
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private TestImages() {
    }

    /** The static busybox must be there (Debian package busybox-static); otherwise skip, or fail on CI. */
    static void requireBusybox() {
        if (!Files.isRegularFile(BUSYBOX)) {
            throw Tools.missing("the static " + BUSYBOX + " is not there (Debian package busybox-static)");
        }
    }

    /**
     * Writes a two-layer image to an OCI layout in {@code dir}: a busybox root file system, then
     * a layer with one file that names {@code marker}, so images built with different markers
     * share the busybox layer but have manifests and configs of their own.
     */
    static TestImage ociLayout(Path dir, String marker, String tag) throws IOException {
        requireBusybox();
        Path blobs = Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
        Blob base = writeLayer(blobs, TestImages::busyboxEntries);
        Blob top = writeLayer(blobs, tar -> addFile(tar, "etc/berth-test-image", (marker + "\n").getBytes(StandardCharsets.UTF_8), 0644));

        ObjectNode config = JSON.createObjectNode();
        config.put("created", EPOCH.toString());
        config.put("architecture", goArch());
        config.put("os", "linux");
        ObjectNode runConfig = config.putObject("config");
        runConfig.putArray("Env").add("PATH=/bin");
        runConfig.putArray("Cmd").add("/bin/sh");
        runConfig.putObject("Labels").put("dev.berth.test-image", marker);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(base.diffId).add(top.diffId);
        ArrayNode history = config.putArray("history");
        history.addObject().put("created", EPOCH.toString()).put("created_by", "busybox-static root file system");
        history.addObject().put("created", EPOCH.toString()).put("created_by", "marker " + marker);
        Blob configBlob = writeBytes(blobs, JSON.writeValueAsBytes(config));

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        descriptor(manifest.putObject("config"), "application/vnd.oci.image.config.v1+json", configBlob);
        ArrayNode layers = manifest.putArray("layers");
        descriptor(layers.addObject(), "application/vnd.oci.image.layer.v1.tar+gzip", base);
        descriptor(layers.addObject(), "application/vnd.oci.image.layer.v1.tar+gzip", top);
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        Blob manifestBlob = writeBytes(blobs, manifestBytes);

        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode entry = index.putArray("manifests").addObject();
        descriptor(entry, "application/vnd.oci.image.manifest.v1+json", manifestBlob);
        entry.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return new TestImage(dir, tag, manifestBytes, manifestBlob.digest, configBlob.digest,
                List.of(base.digest, top.digest), Math.max(base.size, top.size));
    }

    /** A build context directory: {@code rootfs/} with busybox and applet links, for a Containerfile to COPY. */
    static Path rootfs(Path dir) throws IOException {
        requireBusybox();
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        return dir;
    }

    /** The architecture name OCI uses for this JVM's machine. */
    static String goArch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
    }

    private static void busyboxEntries(TarArchiveOutputStream tar) throws IOException {
        TarArchiveEntry dir = new TarArchiveEntry("bin/");
        dir.setMode(040755);
        stamp(dir);
        tar.putArchiveEntry(dir);
        tar.closeArchiveEntry();
        addFile(tar, "bin/busybox", Files.readAllBytes(BUSYBOX), 0755);
        for (String applet : APPLETS) {
            TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("busybox");
            link.setMode(0120777);
            stamp(link);
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
    }

    private static void addFile(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0100000 | mode);
        entry.setSize(content.length);
        stamp(entry);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void stamp(TarArchiveEntry entry) {
        entry.setModTime(EPOCH.toEpochMilli());
        entry.setIds(0, 0);
        entry.setNames("root", "root");
    }

    private static void descriptor(ObjectNode node, String mediaType, Blob blob) {
        node.put("mediaType", mediaType);
        node.put("digest", blob.digest);
        node.put("size", blob.size);
    }

    private interface TarContent {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    /** A blob written under its digest; {@code diffId} is the digest of the uncompressed tar, for layers. */
    private record Blob(String digest, long size, String diffId) {
    }

    /** Streams a tar through gzip into the layout, hashing both the tar (diff id) and the gzip (digest). */
    private static Blob writeLayer(Path blobs, TarContent content) throws IOException {
        Path tmp = Files.createTempFile(blobs, "layer-", ".tmp");
        MessageDigest compressed = TestFiles.sha256();
        MessageDigest uncompressed = TestFiles.sha256();
        try (OutputStream file = Files.newOutputStream(tmp);
             DigestOutputStream gzDigest = new DigestOutputStream(file, compressed);
             GZIPOutputStream gzip = new GZIPOutputStream(gzDigest);
             DigestOutputStream tarDigest = new DigestOutputStream(gzip, uncompressed);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(tarDigest)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            content.write(tar);
            tar.finish();
        }
        String digest = "sha256:" + HexFormat.of().formatHex(compressed.digest());
        long size = Files.size(tmp);
        Files.move(tmp, blobs.resolve(TestFiles.hex(digest)), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return new Blob(digest, size, "sha256:" + HexFormat.of().formatHex(uncompressed.digest()));
    }

    private static Blob writeBytes(Path blobs, byte[] bytes) throws IOException {
        String digest = TestFiles.digest(bytes);
        Files.write(blobs.resolve(TestFiles.hex(digest)), bytes);
        return new Blob(digest, bytes.length, null);
    }

    /** Reads a JSON file (an index.json or manifest.json a client wrote). */
    static tools.jackson.databind.JsonNode readJson(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readTree(in);
        }
    }
}
