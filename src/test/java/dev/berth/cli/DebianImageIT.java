package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.RunProcess.Result;
import dev.berth.oci.Digest;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real distribution runs: a Debian 12 (bookworm) minbase root filesystem built here by
 * {@code mmdebstrap} (thousands of files, hard links, device nodes, setuid binaries), made into an
 * OCI image with a second layer holding a file with a capability (GNU tar {@code --xattrs}), pushed to a real Berth by {@code skopeo}, then pulled and run by
 * {@code berth run} with runc. The tarball is kept in {@code target/} for the next run: mmdebstrap
 * needs deb.debian.org and took 20 to 75 s here.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@DatabaseNeutral
class DebianImageIT extends RegistryIntegrationTest {

    private static final Path CACHED_ROOTFS = Path.of("target", "it-cache", "debian-bookworm-minbase.tar");
    private static final Path ROOT = tempDir("berth-debian-it-");
    private static String image;

    @BeforeEach
    void pushOnce() throws Exception {
        Requirements.root();
        Requirements.executable("runc", "runc");
        Path mmdebstrap = Requirements.executable("mmdebstrap", "mmdebstrap");
        Path skopeo = Requirements.executable("skopeo", "skopeo");
        if (image != null) {
            return;
        }
        Path rootfs = rootfs(mmdebstrap);
        Path layout = ociLayout(List.of(rootfs, capabilityLayer()), ROOT.resolve("layout"));
        Path policy = Files.writeString(ROOT.resolve("policy.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        String name = "127.0.0.1:" + port + "/" + uniqueName("debian") + ":bookworm";
        run(List.of(skopeo.toString(), "--policy", policy.toString(), "copy", "--dest-tls-verify=false",
                "oci:" + layout + ":bookworm", "docker://" + name));
        image = name;
    }

    @AfterAll
    static void cleanUp() throws IOException {
        RunProcess.removeRoot(ROOT);
    }

    @Test
    void aptRunsPasswdKeepsItsSetuidBitAndNobodyResolves() throws Exception {
        Result r = RunProcess.run(ROOT.resolve("berth"), "--rm", image, "/bin/sh", "-c",
                "set -e; apt-get --version > /tmp/apt; head -n 1 /tmp/apt; stat -c '%a %U:%G' /usr/bin/passwd; getent passwd nobody");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("apt 2\\.6\\.[0-9]+ \\([a-z0-9]+\\)\n4755 root:root\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    }

    @Test
    void theImagesUsersAreTheContainersUsers() throws Exception {
        Result r = RunProcess.run(ROOT.resolve("berth"), "--rm", "-u", "nobody", image, "id");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n");
    }

    /** The kernel gives a program its file's capabilities when it runs: cap_net_raw is bit 13 of CapEff, even for nobody. */
    @Test
    void aFileCapabilityFromAGnuTarLayerIsGainedWhenTheFileRuns() throws Exception {
        Result r = RunProcess.run(ROOT.resolve("berth"), "--rm", "-u", "nobody", image, "/usr/local/bin/capcat", "/proc/self/status");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("CapEff:\t0000000000002000\n");
    }

    /** The minbase tarball, built once and kept under target/ (written aside and renamed, so a killed build leaves none). */
    private static Path rootfs(Path mmdebstrap) throws Exception {
        if (Files.isRegularFile(CACHED_ROOTFS)) {
            return CACHED_ROOTFS;
        }
        Files.createDirectories(CACHED_ROOTFS.getParent());
        Path partial = CACHED_ROOTFS.resolveSibling(CACHED_ROOTFS.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        run(List.of(mmdebstrap.toString(), "--variant=minbase", "--format=tar", "bookworm", partial.toString()));
        Files.move(partial, CACHED_ROOTFS, StandardCopyOption.ATOMIC_MOVE);
        return CACHED_ROOTFS;
    }

    /**
     * A second layer as GNU tar writes one with {@code --xattrs}: a copy of the host's {@code cat}
     * (Debian 12 as well) with the file capability {@code cap_net_raw+ep}.
     */
    private static Path capabilityLayer() throws Exception {
        Path setcap = Requirements.executable("setcap", "libcap2-bin");
        Path dir = Files.createDirectories(ROOT.resolve("capability/usr/local/bin"));
        Path capcat = Files.copy(Path.of("/usr/bin/cat"), dir.resolve("capcat"));
        run(List.of(setcap.toString(), "cap_net_raw+ep", capcat.toString()));
        Path tar = ROOT.resolve("capability.tar");
        run(List.of("tar", "--xattrs", "--xattrs-include=*", "--format=pax", "-cf", tar.toString(), "-C",
                ROOT.resolve("capability").toString(), "usr/local/bin/capcat"));
        return tar;
    }

    /** An OCI image layout of these tars as gzip layers, each streamed through gzip and both digests. */
    private static Path ociLayout(List<Path> tars, Path layout) throws Exception {
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        StringBuilder diffIds = new StringBuilder();
        StringBuilder layers = new StringBuilder();
        for (Path tar : tars) {
            Path partial = blobs.resolve("layer.partial");
            MessageDigest diffId = MessageDigest.getInstance("SHA-256");
            MessageDigest blob = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(tar), diffId);
                 OutputStream out = new GZIPOutputStream(new DigestOutputStream(Files.newOutputStream(partial), blob), 1 << 16) {
                     {
                         def.setLevel(Deflater.BEST_SPEED);
                     }
                 }) {
                in.transferTo(out);
            }
            String layerDigest = hex(blob);
            Files.move(partial, blobs.resolve(layerDigest));
            diffIds.append(diffIds.length() == 0 ? "" : ",").append("\"sha256:").append(hex(diffId)).append('"');
            layers.append(layers.length() == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",")
                    .append("\"digest\":\"sha256:").append(layerDigest).append("\",\"size\":")
                    .append(Files.size(blobs.resolve(layerDigest))).append('}');
        }
        String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
        String config = "{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{\"Env\":[\"PATH=/usr/local/sbin:"
                + "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[\"bash\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}";
        String configDigest = write(blobs, config);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + configDigest
                + "\",\"size\":" + config.getBytes(StandardCharsets.UTF_8).length + "},\"layers\":[" + layers + "]}";
        String manifestDigest = write(blobs, manifest);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + manifestDigest + "\",\"size\":"
                + manifest.getBytes(StandardCharsets.UTF_8).length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"bookworm\"}}]}");
        return layout;
    }

    private static String write(Path blobs, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String digest = Digest.sha256(bytes).toString().substring("sha256:".length());
        Files.write(blobs.resolve(digest), bytes);
        return digest;
    }

    private static String hex(MessageDigest digest) {
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    private static void run(List<String> command) throws Exception {
        Path log = Files.createTempFile(ROOT, "command-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish");
        }
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + Files.readString(log)).isZero();
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
