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

/** The real buildah builds an image from scratch, pushes it to Berth and pulls it back. */
@DatabaseNeutral
@ExtendWith(SharedBerth.class)
class BuildahIT {

    private static final String MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json,"
            + "application/vnd.docker.distribution.manifest.v2+json";

    private static BerthProcess berth;
    private static String buildah;
    private static Path work;
    private static ContainersConfig config;

    @BeforeAll
    static void setUp(BerthProcess shared) throws IOException {
        berth = shared;
        buildah = Tools.require("buildah", "buildah");
        work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "buildah-");
        config = ContainersConfig.create(work.resolve("containers"));
    }

    @AfterAll
    static void tearDown() throws IOException {
        TestFiles.deleteRecursively(work);
    }

    @Test
    void buildsFromScratchPushesAndPullsBackTheSameImage() throws Exception {
        Path context = Files.createDirectories(work.resolve("context"));
        Path rootfs = TestImages.rootfs(context.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/berth-test-image"), "buildah " + work.getFileName() + "\n");
        Files.writeString(context.resolve("Containerfile"), """
                FROM scratch
                COPY rootfs/ /
                CMD ["/bin/sh"]
                """);
        String local = "localhost/berth-it/buildah:v1";
        String repository = SkopeoIT.unique("buildah/busybox");
        String remote = berth.hostPort() + "/" + repository + ":v1";

        String built = Exec.lastLine(buildah("bud", "--signature-policy", config.policy(), "--layers=false",
                "-t", local, "-f", context.resolve("Containerfile").toString(), context.toString()));
        Path digestFile = work.resolve("pushed-digest");
        buildah("push", "--signature-policy", config.policy(), "--tls-verify=false", "--digestfile", digestFile.toString(),
                local, "docker://" + remote);
        String pushed = Files.readString(digestFile, StandardCharsets.UTF_8).trim();

        HttpResponse<byte[]> manifest = new RegistryHttp(berth).getManifest(repository, "v1", MANIFEST_TYPES);
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(TestFiles.digest(manifest.body())).as("digest of the manifest Berth serves").isEqualTo(pushed);
        assertThat(manifest.headers().firstValue("Docker-Content-Digest")).hasValue(pushed);

        buildah("rmi", local);
        assertThat(buildah("images", "--quiet", "--no-trunc")).as("local store after rmi").doesNotContain(built);
        String pulled = Exec.lastLine(buildah("pull", "--signature-policy", config.policy(), "--tls-verify=false", "docker://" + remote));

        assertThat(pulled).as("image id (config digest) pulled back").isEqualTo(built);
        String inspected = buildah("inspect", "--type", "image", "--format", "{{.FromImageID}} {{.FromImageDigest}}", remote).trim();
        assertThat(inspected).isEqualTo(built + " " + pushed);
    }

    private static String buildah(String... args) {
        List<String> command = new ArrayList<>(List.of(buildah));
        command.addAll(List.of(args));
        return Exec.of(command).env(config.environment()).timeout(Duration.ofMinutes(3)).succeed().stdout();
    }
}
