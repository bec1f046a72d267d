package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.TestLayer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15: real clients pull through Berth's cache in front of a real CNCF distribution and get
 * what a direct pull gets: skopeo (one image, and a two-platform index with --all), docker through
 * a private dockerd, and podman; and through a second Berth with token auth as the upstream, whose
 * Bearer challenge the cache answers with its configured credentials.
 */
@DatabaseNeutral
@Timeout(600)
class ProxyClientsIT {

    private static Path work;
    private static final String UPSTREAM_ADMIN_PASSWORD = "upstream-admin-secret";

    private static Distribution upstream;
    private static BerthProcess tokenUpstream;
    private static BerthProcess berth;
    private static Skopeo skopeo;
    private static TestImage image;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "proxy-clients-");
        skopeo = Skopeo.require(work);
        upstream = Distribution.start(work.resolve("upstream"));
        tokenUpstream = BerthProcess.start("proxy-token-upstream", "-Dberth.auth.mode=token",
                "-Dberth.auth.admin-password=" + UPSTREAM_ADMIN_PASSWORD);
        berth = BerthProcess.start("proxy-clients",
                "-Dberth.proxy.upstreams[0].name=up",
                "-Dberth.proxy.upstreams[0].url=http://" + upstream.hostPort(),
                "-Dberth.proxy.upstreams[1].name=tok",
                "-Dberth.proxy.upstreams[1].url=http://" + tokenUpstream.hostPort(),
                "-Dberth.proxy.upstreams[1].username=admin",
                "-Dberth.proxy.upstreams[1].password=" + UPSTREAM_ADMIN_PASSWORD);
        image = TestImages.ociLayout(work.resolve("layout"), "proxy " + work.getFileName(), "v1");
        skopeo.copy(image.ociReference(), "docker://" + upstream.hostPort() + "/team/app:v1", "--dest-tls-verify=false");
    }

    @AfterAll
    static void stop() throws Exception {
        if (berth != null) {
            berth.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (tokenUpstream != null) {
            tokenUpstream.close();
        }
        TestFiles.deleteRecursively(work);
    }

    @Test
    void skopeoCopiesTheSameImageThroughTheCacheAsDirectly() throws Exception {
        String throughCache = skopeo.copy("docker://" + berth.hostPort() + "/up/team/app:v1", "oci:" + work.resolve("cached") + ":v1",
                "--src-tls-verify=false");
        String direct = skopeo.copy("docker://" + upstream.hostPort() + "/team/app:v1", "oci:" + work.resolve("direct") + ":v1",
                "--src-tls-verify=false");

        assertThat(throughCache).isEqualTo(direct).isEqualTo(image.manifestDigest());
        assertSameBlobs(work.resolve("cached"), work.resolve("direct"));
    }

    @Test
    void skopeoCopiesATwoPlatformIndexThroughTheCacheWithAll() throws Exception {
        RegistryPusher pusher = new RegistryPusher(URI.create("http://" + upstream.hostPort() + "/"));
        List<Descriptor> platforms = new ArrayList<>();
        for (Platform platform : List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64"))) {
            platforms.add(dev.berth.testing.TestImage.create().platform(platform)
                    .layer(TestLayer.create().file("arch", platform.toString(), 0644), MediaType.OCI_LAYER_GZIP)
                    .push(pusher, "team/multi", platform.architecture()));
        }
        String index = dev.berth.testing.TestImage.pushIndex(pusher, "team/multi", "v1", platforms).toString();

        String throughCache = skopeo.copy("docker://" + berth.hostPort() + "/up/team/multi:v1", "oci:" + work.resolve("multi-cached") + ":v1",
                "--all", "--src-tls-verify=false");
        String direct = skopeo.copy("docker://" + upstream.hostPort() + "/team/multi:v1", "oci:" + work.resolve("multi-direct") + ":v1",
                "--all", "--src-tls-verify=false");

        assertThat(throughCache).isEqualTo(direct).isEqualTo(index);
        assertSameBlobs(work.resolve("multi-cached"), work.resolve("multi-direct"));
    }

    @Test
    void aBerthWithTokenAuthIsAnUpstreamThroughItsBearerChallenge() throws Exception {
        String pushed = skopeo.copy(image.ociReference(), "docker://" + tokenUpstream.hostPort() + "/team/private:v1",
                "--dest-tls-verify=false", "--dest-creds", "admin:" + UPSTREAM_ADMIN_PASSWORD);
        Exec.Result anonymous = skopeo.run("inspect", "--raw", "--tls-verify=false", "--no-creds",
                "docker://" + tokenUpstream.hostPort() + "/team/private:v1");
        assertThat(anonymous.succeeded()).as("the upstream's repository is private").isFalse();

        String throughCache = skopeo.copy("docker://" + berth.hostPort() + "/tok/team/private:v1",
                "oci:" + work.resolve("token-cached") + ":v1", "--src-tls-verify=false");

        assertThat(throughCache).isEqualTo(pushed).isEqualTo(image.manifestDigest());
    }

    @Test
    void dockerPullsThroughTheCache() throws Exception {
        try (PrivateDockerd dockerd = PrivateDockerd.start()) {
            String remote = berth.hostPort() + "/up/team/app:v1";
            dockerd.docker("pull", remote).succeed();
            String digests = dockerd.docker("image", "inspect", "--format", "{{json .RepoDigests}}", remote).succeed().stdout();
            assertThat(digests).contains("/up/team/app@" + image.manifestDigest());
            assertThat(dockerd.docker("image", "inspect", "--format", "{{.Id}}", remote).succeed().stdout().trim())
                    .isEqualTo(image.configDigest());
        }
    }

    @Test
    void podmanPullsThroughTheCache() throws Exception {
        ContainersConfig config = ContainersConfig.create(work.resolve("containers"));
        String podman = Tools.require("podman", "podman");
        String pulled = Exec.lastLine(Exec.of(podman, "pull", "--signature-policy", config.policy(), "--tls-verify=false",
                berth.hostPort() + "/up/team/app:v1").env(config.environment()).timeout(Duration.ofMinutes(3)).succeed().stdout());
        assertThat("sha256:" + pulled).as("podman's image id is the config digest").isEqualTo(image.configDigest());
    }

    /** Both OCI layouts hold the same blob files, byte for byte (their names are their digests). */
    private static void assertSameBlobs(Path one, Path other) throws IOException {
        List<String> names = names(one.resolve("blobs/sha256"));
        assertThat(names).isEqualTo(names(other.resolve("blobs/sha256")));
        for (String name : names) {
            assertThat(Files.mismatch(one.resolve("blobs/sha256").resolve(name), other.resolve("blobs/sha256").resolve(name)))
                    .as(name).isEqualTo(-1L);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
