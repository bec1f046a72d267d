package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.DatabaseNeutral;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15, mirror mode: with {@code mirror: true} on upstream {@code up} (a real CNCF distribution),
 * names without the prefix are answered from it, as docker's {@code registry-mirrors} asks
 * ({@code busybox} is {@code library/busybox}), and cached under {@code up/}; a name that is a
 * repository pushed to Berth answers from what was pushed only.
 */
@DatabaseNeutral
@Timeout(600)
class ProxyMirrorIT {

    private static Path work;
    private static Distribution upstream;
    private static BerthProcess berth;
    private static Skopeo skopeo;
    private static TestImage busybox;
    private static TestImage app;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "proxy-mirror-");
        skopeo = Skopeo.require(work);
        upstream = Distribution.start(work.resolve("upstream"));
        berth = BerthProcess.start("proxy-mirror",
                "-Dberth.proxy.upstreams[0].name=up",
                "-Dberth.proxy.upstreams[0].url=http://" + upstream.hostPort(),
                "-Dberth.proxy.upstreams[0].mirror=true");
        busybox = TestImages.ociLayout(work.resolve("busybox"), "mirror busybox " + work.getFileName(), "latest");
        skopeo.copy(busybox.ociReference(), "docker://" + upstream.hostPort() + "/library/busybox:latest", "--dest-tls-verify=false");
        app = TestImages.ociLayout(work.resolve("app"), "mirror app " + work.getFileName(), "v1");
        skopeo.copy(app.ociReference(), "docker://" + upstream.hostPort() + "/team/app:v1", "--dest-tls-verify=false");
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        TestFiles.deleteRecursively(work);
    }

    @Test
    void aDockerdWithBerthAsItsRegistryMirrorPullsBusyboxThroughIt() throws Exception {
        // No internet here: had dockerd fallen back to Docker Hub, the pull would fail.
        String daemonJson = "{\"registry-mirrors\":[\"http://" + berth.hostPort() + "\"],\"insecure-registries\":[\""
                + berth.hostPort() + "\"]}";
        try (PrivateDockerd dockerd = PrivateDockerd.start(daemonJson)) {
            dockerd.docker("pull", "busybox").succeed();
            assertThat(dockerd.docker("image", "inspect", "--format", "{{.Id}}", "busybox").succeed().stdout().trim())
                    .isEqualTo(busybox.configDigest());
        }
        assertThat(catalog()).as("cached under the mirror's prefix").contains("\"up/library/busybox\"");
    }

    @Test
    void podmanWithBerthAsDockerIosMirrorInRegistriesConfPullsBusyboxThroughIt() throws Exception {
        ContainersConfig config = ContainersConfig.create(work.resolve("containers"));
        // As podman's users mirror Docker Hub; with no internet here, a fall-back to docker.io would fail.
        Files.writeString(work.resolve("containers/registries.conf"), """
                unqualified-search-registries = []
                [[registry]]
                prefix = "docker.io"
                location = "docker.io"
                [[registry.mirror]]
                location = "%s"
                insecure = true
                """.formatted(berth.hostPort()));
        String podman = Tools.require("podman", "podman");
        String pulled = Exec.lastLine(Exec.of(podman, "pull", "--signature-policy", config.policy(), "docker.io/library/busybox:latest")
                .env(config.environment()).timeout(Duration.ofMinutes(3)).succeed().stdout());
        assertThat("sha256:" + pulled).as("podman's image id is the config digest").isEqualTo(busybox.configDigest());
    }

    @Test
    void skopeoPullsAMirroredNameAndItsPrefixedNameAsOneCachedImage() throws Exception {
        String mirrored = skopeo.copy("docker://" + berth.hostPort() + "/library/busybox:latest",
                "oci:" + work.resolve("mirrored") + ":latest", "--src-tls-verify=false");
        String prefixed = skopeo.copy("docker://" + berth.hostPort() + "/up/library/busybox:latest",
                "oci:" + work.resolve("prefixed") + ":latest", "--src-tls-verify=false");

        assertThat(mirrored).isEqualTo(prefixed).isEqualTo(busybox.manifestDigest());
    }

    @Test
    void aRepositoryPushedToBerthAnswersForItsWholeNameAndNothingOfItComesFromTheMirror() throws Exception {
        String throughMirror = skopeo.copy("docker://" + berth.hostPort() + "/team/app:v1",
                "oci:" + work.resolve("app-mirrored") + ":v1", "--src-tls-verify=false");
        assertThat(throughMirror).isEqualTo(app.manifestDigest());

        TestImage own = TestImages.ociLayout(work.resolve("own"), "pushed to berth " + work.getFileName(), "v2");
        String pushed = skopeo.copy(own.ociReference(), "docker://" + berth.hostPort() + "/team/app:v2", "--dest-tls-verify=false");
        assertThat(pushed).isEqualTo(own.manifestDigest());

        assertThat(inspect("team/app:v2").stdout()).contains(own.configDigest());
        Exec.Result shadowed = inspect("team/app:v1");
        assertThat(shadowed.succeeded()).as("v1 is the upstream's, and team/app is now a pushed repository").isFalse();
        assertThat(shadowed.describe()).contains("manifest unknown");
        assertThat(inspect("up/team/app:v1").stdout()).as("the cached copy stays under the prefix").contains(app.configDigest());
    }

    private static Exec.Result inspect(String reference) {
        return skopeo.run("inspect", "--raw", "--tls-verify=false", "docker://" + berth.hostPort() + "/" + reference);
    }

    private static String catalog() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(berth.uri("/v2/_catalog")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
