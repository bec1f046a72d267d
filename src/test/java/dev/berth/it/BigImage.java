package dev.berth.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** An OCI archive of one image with one uncompressed layer of random bytes, written to disk as it is made, never held whole. */
final class BigImage {

    private BigImage() {
    }

    static Path ociArchive(Path dir, long bytes, String name) throws IOException {
        Path layer = dir.resolve("layer.tar");
        MessageDigest hash = TestFiles.sha256();
        try (OutputStream file = new DigestOutputStream(Files.newOutputStream(layer), hash);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
            TarArchiveEntry entry = new TarArchiveEntry("random");
            entry.setSize(bytes);
            tar.putArchiveEntry(entry);
            SplittableRandom random = new SplittableRandom(bytes);
            byte[] chunk = new byte[1 << 20];
            for (long left = bytes; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                tar.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            tar.closeArchiveEntry();
        }
        String layerDigest = "sha256:" + HexFormat.of().formatHex(hash.digest());
        byte[] config = ("{\"architecture\":\"" + TestImages.goArch() + "\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":"
                + "\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + TestFiles.digest(config) + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                + layerDigest + "\",\"size\":" + Files.size(layer) + "}]}").getBytes(StandardCharsets.UTF_8);
        byte[] index = ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"digest\":\"" + TestFiles.digest(manifest) + "\",\"size\":" + manifest.length + ",\"annotations\":{"
                + "\"io.containerd.image.name\":\"" + name + "\"}}]}").getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> small = new LinkedHashMap<>();
        small.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        small.put("index.json", index);
        small.put("blobs/sha256/" + TestFiles.hex(TestFiles.digest(config)), config);
        small.put("blobs/sha256/" + TestFiles.hex(TestFiles.digest(manifest)), manifest);
        Path archive = dir.resolve("image.tar");
        try (OutputStream out = Files.newOutputStream(archive); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : small.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
            TarArchiveEntry entry = new TarArchiveEntry("blobs/sha256/" + TestFiles.hex(layerDigest));
            entry.setSize(Files.size(layer));
            tar.putArchiveEntry(entry);
            try (InputStream in = Files.newInputStream(layer)) {
                in.transferTo(tar);
            }
            tar.closeArchiveEntry();
        }
        Files.delete(layer);
        return archive;
    }
}
