package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.registry.auth.TokenModeIntegrationTest;
import dev.berth.testing.Cli;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.TestImage;
import dev.berth.testing.TestLayer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth push} to a Berth with access control on: after {@code berth login} it gets Bearer
 * tokens for the push, and for a mount one token with pull on the source besides (two scopes), so
 * the blobs are mounted, not sent again; a user who may not push there gets one line.
 */
@DatabaseNeutral
class PushTokenAuthIT extends TokenModeIntegrationTest {

    @TempDir
    Path tmp;

    /** An OCI archive of a one-layer image named {@code name}, as berth load reads it. */
    private static Path ociArchive(Path file, String name, TestImage image) throws IOException {
        byte[] config = image.config();
        byte[] layer = image.layerBlobs().get(0);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaType.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config) + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"" + MediaType.OCI_LAYER_GZIP + "\",\"digest\":\"" + Digest.sha256(layer)
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        byte[] index = ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"digest\":\""
                + Digest.sha256(manifest) + "\",\"size\":" + manifest.length + ",\"annotations\":{\"io.containerd.image.name\":\""
                + name + "\"}}]}").getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        entries.put("index.json", index);
        for (byte[] blob : new byte[][] {config, layer, manifest}) {
            entries.put("blobs/sha256/" + Digest.sha256(blob).hex(), blob);
        }
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    @Test
    void pushesWithTheLoginsTokensAndMountsWithATokenForBothRepositories() throws IOException {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String registry = "127.0.0.1:" + port;
        String config = tmp.resolve("config").toString();
        String root = tmp.resolve("root").toString();
        TestImage image = TestImage.create().layer(TestLayer.create().file("f", "token push " + alice, 0644), MediaType.OCI_LAYER_GZIP);
        Path archive = ociArchive(tmp.resolve("image.tar"), "example.com/local/app:v1", image);
        assertThat(Cli.run("load", "--root", root, "-i", archive.toString()).exit()).isZero();
        String app = registry + "/" + alice + "/app:v1";
        String copy = registry + "/" + alice + "/copy:v1";
        String foreign = registry + "/" + bob + "/app:v1";
        for (String target : new String[] {app, copy, foreign}) {
            assertThat(Cli.run("tag", "--root", root, "example.com/local/app:v1", target).exit()).isZero();
        }

        Cli anonymous = Cli.run("push", "--root", root, "--config", config, app);
        Cli login = Cli.run("login", "--config", config, "-u", alice, "-p", password(alice), registry);
        Cli pushed = Cli.run("push", "--root", root, "--config", config, app);
        Cli mounted = Cli.run("push", "--root", root, "--config", config, copy);
        Cli denied = Cli.run("push", "--root", root, "--config", config, foreign);

        assertThat(anonymous.exit()).isEqualTo(1);
        assertThat(anonymous.err()).startsWith("berth: ").hasLineCount(1);
        assertThat(login.exit()).as(login.err()).isZero();
        assertThat(pushed.exit()).as(pushed.err()).isZero();
        assertThat(pushed.out()).containsOnlyOnce(": Pushed").endsWith("v1: digest: " + Digest.sha256(manifestOf(root)) + " size: "
                + manifestOf(root).length + "\n");
        assertThat(mounted.exit()).as(mounted.err()).isZero();
        assertThat(mounted.out()).contains(": Mounted from " + alice + "/app").doesNotContain("Pushed");
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.err()).startsWith("berth: ").hasLineCount(1);
    }

    private static byte[] manifestOf(String root) throws IOException {
        var record = new dev.berth.runtime.image.ImageStore(Path.of(root)).list().get(0);
        Path blob = Path.of(root, "blobs/sha256", record.manifest().hex().substring(0, 2), record.manifest().hex());
        return Files.readAllBytes(blob);
    }
}
