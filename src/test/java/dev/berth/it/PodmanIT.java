package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.DatabaseNeutral;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real podman (rootful) pushes to Berth and pulls back, with a store and configuration of
 * its own in a temp dir (see {@link ContainersConfig}).
 */
@DatabaseNeutral
@ExtendWith(SharedBerth.class)
class PodmanIT {

    private static final String MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.docker.distribution.manifest.v2+json";

    private static BerthProcess berth;
    private static String podman;
    private static Path work;
    private static ContainersConfig config;

    @BeforeAll
    static void setUp(BerthProcess shared) throws IOException {
        berth = shared;
        podman = Tools.require("podman", "podman");
        work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "podman-");
        config = ContainersConfig.create(work.resolve("containers"));
    }

    @AfterAll
    static void tearDown() throws IOException {
        TestFiles.deleteRecursively(work);
    }

    @Test
    void pushesAndPullsBackTheSameImage() throws Exception {
        TestImage image = TestImages.ociLayout(work.resolve("layout"), "podman " + work.getFileName(), "v1");
        String repository = SkopeoIT.unique("podman/busybox");
        String remote = berth.hostPort() + "/" + repository + ":v1";

        String loaded = Exec.lastLine(podman("pull", "--signature-policy", config.policy(), image.ociReference()));
        assertThat("sha256:" + loaded).as("podman's image id is the config digest").isEqualTo(image.configDigest());
        podman("tag", loaded, remote);
        Path digestFile = work.resolve("pushed-digest");
        podman("push", "--signature-policy", config.policy(), "--tls-verify=false", "--digestfile", digestFile.toString(), remote);
        String pushed = Files.readString(digestFile, StandardCharsets.UTF_8).trim();

        HttpResponse<byte[]> manifest = new RegistryHttp(berth).getManifest(repository, "v1", MANIFEST_TYPES);
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(TestFiles.digest(manifest.body())).as("digest of the manifest Berth serves").isEqualTo(pushed);

        podman("rmi", "--force", loaded);
        assertThat(podman("images", "--quiet", "--no-trunc")).as("local store after rmi").doesNotContain(loaded);
        String pulled = Exec.lastLine(podman("pull", "--signature-policy", config.policy(), "--tls-verify=false", remote));

        assertThat(pulled).as("image id pulled back").isEqualTo(loaded);
        assertThat(podman("image", "inspect", "--format", "{{.Id}} {{.Digest}}", remote).trim()).isEqualTo(loaded + " " + pushed);
    }

    private static String podman(String... args) {
        List<String> command = new ArrayList<>(List.of(podman));
        command.addAll(List.of(args));
        return Exec.of(command).env(config.environment()).timeout(Duration.ofMinutes(3)).succeed().stdout();
    }
}
