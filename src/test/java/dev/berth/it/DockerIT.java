package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.DatabaseNeutral;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real docker CLI and a private dockerd push to Berth and pull back. */
@DatabaseNeutral
@ExtendWith(SharedBerth.class)
class DockerIT {

    private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64}) size: \\d+");
    private static final Pattern PULLED_DIGEST = Pattern.compile("Digest: (sha256:[0-9a-f]{64})");

    private static BerthProcess berth;
    private static Path work;
    private static Skopeo skopeo;
    private static PrivateDockerd dockerd;

    @BeforeAll
    static void setUp(BerthProcess shared) throws IOException {
        berth = shared;
        work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "docker-");
        skopeo = Skopeo.require(work);
        dockerd = PrivateDockerd.start();
    }

    @AfterAll
    static void tearDown() throws IOException {
        try {
            if (dockerd != null) {
                dockerd.close();
            }
        } finally {
            TestFiles.deleteRecursively(work);
        }
    }

    @Test
    void pushesAndPullsBackTheSameImage() throws Exception {
        TestImage image = TestImages.ociLayout(work.resolve("layout"), "docker " + work.getFileName(), "v1");
        Path archive = skopeo.dockerArchive(image, work.resolve("image.tar"), "berth-it/docker:v1");
        String repository = SkopeoIT.unique("docker/busybox");
        String remote = berth.hostPort() + "/" + repository + ":v1";

        dockerd.docker("load", "--input", archive.toString()).succeed();
        String id = inspect("berth-it/docker:v1", "{{.Id}}");
        assertThat(id).as("docker's image id is the config digest").isEqualTo(image.configDigest());
        dockerd.docker("tag", "berth-it/docker:v1", remote).succeed();
        Exec.Result push = dockerd.docker("push", remote).succeed();
        String pushed = match(PUSHED_DIGEST, push);

        HttpResponse<byte[]> manifest = new RegistryHttp(berth).getManifest(repository, "v1",
                "application/vnd.docker.distribution.manifest.v2+json");
        assertThat(manifest.statusCode()).isEqualTo(200);
        assertThat(TestFiles.digest(manifest.body())).as("digest of the manifest Berth serves").isEqualTo(pushed);

        dockerd.docker("rmi", "berth-it/docker:v1", remote).succeed();
        Exec.Result gone = dockerd.docker("image", "inspect", id).run();
        assertThat(gone.succeeded()).as("the image must be gone before the pull: " + gone.describe()).isFalse();
        Exec.Result pull = dockerd.docker("pull", remote).succeed();

        assertThat(match(PULLED_DIGEST, pull)).isEqualTo(pushed);
        assertThat(inspect(remote, "{{.Id}}")).as("image id pulled back").isEqualTo(id);
        assertThat(inspect(remote, "{{index .RepoDigests 0}}")).isEqualTo(berth.hostPort() + "/" + repository + "@" + pushed);
    }

    private static String inspect(String image, String format) {
        return dockerd.docker("image", "inspect", "--format", format, image).succeed().stdout().trim();
    }

    private static String match(Pattern pattern, Exec.Result result) {
        Matcher m = pattern.matcher(result.stdout());
        assertThat(m.find()).as("no " + pattern + " in the output of " + result.describe()).isTrue();
        return m.group(1);
    }
}
