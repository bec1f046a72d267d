package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.Platform;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.RepositoryName;
import dev.berth.testing.AuthProxy;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.TestImage;
import dev.berth.testing.TestLayer;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry client against a real Berth over HTTP, directly or behind a front that demands auth. */
@DatabaseNeutral
class RegistryClientIT extends RegistryIntegrationTest {

    @TempDir
    Path tmp;

    private RegistryPusher pusher;
    private String registry;

    @BeforeEach
    void setUp() {
        pusher = new RegistryPusher(uri("/"));
        registry = "127.0.0.1:" + port;
    }

    private TestImage image(String text) {
        return TestImage.create().layer(TestLayer.create().file("hello.txt", text, 0644), MediaType.OCI_LAYER_GZIP)
                .execution("{\"Cmd\":[\"/hello\"]}");
    }

    private RegistryClient anonymous() {
        return RegistryClient.connect(registry, CredentialSource.ANONYMOUS, Set.of());
    }

    @Test
    void pullsAManifestByTagAndByDigestWithTheExactBytes() {
        String repo = uniqueName("client");
        Descriptor pushed = image("one").push(pusher, repo, "v1");

        PulledManifest byTag = anonymous().pullManifest(RepositoryName.of(repo), ManifestReference.parse("v1"));
        PulledManifest byDigest = anonymous().pullManifest(RepositoryName.of(repo), ManifestReference.parse(pushed.digest().toString()));

        assertThat(byTag.digest()).isEqualTo(pushed.digest());
        assertThat(Digest.sha256(byTag.bytes())).isEqualTo(pushed.digest());
        assertThat(byTag.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
        assertThat(byTag.parsed().layers()).hasSize(1);
        assertThat(byDigest.bytes()).isEqualTo(byTag.bytes());
    }

    @Test
    void anUnknownTagIsManifestUnknown() {
        String repo = uniqueName("client");
        image("x").push(pusher, repo, "v1");

        assertThatThrownBy(() -> anonymous().pullManifest(RepositoryName.of(repo), ManifestReference.parse("nope")))
                .isInstanceOf(OciException.class)
                .satisfies(e -> assertThat(((OciException) e).code()).isEqualTo(OciErrorCode.MANIFEST_UNKNOWN))
                .hasMessageStartingWith("pull manifest " + registry + "/" + repo + ":nope: ");
    }

    @Test
    void aHeadTellsWhatATagPointsAtWithoutItsBytesAndAnUnknownOneIsAStatusToPassOn() {
        String repo = uniqueName("client");
        Descriptor pushed = image("head").push(pusher, repo, "v1");
        RegistryClient upstream = RegistryClient.forUpstream(java.net.URI.create("http://" + registry), Optional.empty(),
                java.time.Duration.ofSeconds(5));

        ManifestHead head = upstream.checkManifest(RepositoryName.of(repo), ManifestReference.parse("v1"));

        assertThat(head.digest()).isEqualTo(pushed.digest());
        assertThat(head.mediaType()).isEqualTo(MediaType.OCI_MANIFEST);
        assertThat(head.size()).isEqualTo(pushed.size());
        assertThatThrownBy(() -> upstream.checkManifest(RepositoryName.of(repo), ManifestReference.parse("nope")))
                .isInstanceOf(RegistryRefusal.class)
                .satisfies(e -> assertThat(((RegistryRefusal) e).code()).isEqualTo(OciErrorCode.MANIFEST_UNKNOWN))
                .satisfies(e -> assertThat(((RegistryRefusal) e).status()).isEqualTo(404))
                .satisfies(e -> assertThat(((RegistryRefusal) e).retryAfter()).isEmpty());
    }

    @Test
    void anUpstreamUrlIsHttpOrHttpsWithAHost() {
        assertThatThrownBy(() -> RegistryClient.forUpstream(java.net.URI.create("ftp://example.org"), Optional.empty(),
                java.time.Duration.ofSeconds(5))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://example.org");
        assertThatThrownBy(() -> RegistryClient.forUpstream(java.net.URI.create("https:relative"), Optional.empty(),
                java.time.Duration.ofSeconds(5))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void streamsABlobAndVerifiesIt() {
        String repo = uniqueName("client");
        TestImage image = image("blob content");
        image.push(pusher, repo, "v1");
        Descriptor layer = anonymous().pullManifest(RepositoryName.of(repo), ManifestReference.parse("v1")).parsed().layers().get(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> progress = new ArrayList<>();

        anonymous().pullBlob(RepositoryName.of(repo), layer, out, progress::add);

        assertThat(out.toByteArray()).isEqualTo(image.layerBlobs().get(0));
        assertThat(progress).last().isEqualTo(layer.size());
    }

    @Test
    void aBlobThatDoesNotMatchItsDigestIsRefused() throws Exception {
        String repo = uniqueName("client");
        image("to be corrupted " + repo).push(pusher, repo, "v1");
        Descriptor layer = anonymous().pullManifest(RepositoryName.of(repo), ManifestReference.parse("v1")).parsed().layers().get(0);
        Path stored = DATA_DIR.resolve("blobs/sha256").resolve(layer.digest().hex().substring(0, 2)).resolve(layer.digest().hex());
        byte[] bytes = Files.readAllBytes(stored);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(stored, bytes);

        assertThatThrownBy(() -> anonymous().pullBlob(RepositoryName.of(repo), layer, new ByteArrayOutputStream(), n -> { }))
                .isInstanceOf(OciException.class)
                .satisfies(e -> assertThat(((OciException) e).code()).isEqualTo(OciErrorCode.DIGEST_INVALID))
                .hasMessageContaining("refused");
    }

    @Test
    void anIndexListsPlatformsToChooseFrom() {
        String repo = uniqueName("client");
        Descriptor amd = image("amd").platform(new Platform("linux", "amd64", null)).push(pusher, repo, "amd");
        Descriptor arm = image("arm").platform(new Platform("linux", "arm64", "v8")).push(pusher, repo, "arm");
        Digest index = TestImage.pushIndex(pusher, repo, "multi", List.of(amd, arm));

        PulledManifest pulled = anonymous().pullManifest(RepositoryName.of(repo), ManifestReference.parse("multi"));
        Descriptor chosen = RegistryClient.selectPlatform(pulled.parsed(), Platform.parse("linux/arm64"), repo);

        assertThat(pulled.digest()).isEqualTo(index);
        assertThat(pulled.parsed().isIndex()).isTrue();
        assertThat(chosen.digest()).isEqualTo(arm.digest());
    }

    @Test
    void anUnreachableRegistryIsUnavailable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        RegistryClient client = RegistryClient.connect("127.0.0.1:" + closed, CredentialSource.ANONYMOUS, Set.of());

        assertThatThrownBy(() -> client.pullManifest(RepositoryName.of("a/b"), ManifestReference.parse("latest")))
                .isInstanceOf(OciException.class)
                .satisfies(e -> assertThat(((OciException) e).code()).isEqualTo(OciErrorCode.UNAVAILABLE))
                .hasMessageContaining("cannot reach registry 127.0.0.1:" + closed);
    }

    @Test
    void bearerTokensComeFromTheRealmWithDockerLoginCredentialsAndAreReused() throws Exception {
        String repo = uniqueName("client");
        image("bearer").push(pusher, repo, "v1");
        try (AuthProxy proxy = new AuthProxy(uri("/"), AuthProxy.Mode.BEARER, "alice", "s3cret", 300)) {
            CredentialSource docker = dockerConfig(proxy.registry(), "alice", "s3cret");
            RegistryClient client = RegistryClient.connect(proxy.registry(), docker, Set.of());

            PulledManifest manifest = client.pullManifest(RepositoryName.of(repo), ManifestReference.parse("v1"));
            client.pullBlob(RepositoryName.of(repo), manifest.parsed().layers().get(0), new ByteArrayOutputStream(), n -> { });
            client.pullManifest(RepositoryName.of(repo), ManifestReference.parse("v1"));

            assertThat(proxy.tokenRequests()).containsExactly("service=berth-test&scope=repository:" + repo + ":pull");
        }
    }

    @Test
    void anExpiredTokenIsReplaced() throws Exception {
        String repo = uniqueName("client");
        image("expiry").push(pusher, repo, "v1");
        try (AuthProxy proxy = new AuthProxy(uri("/"), AuthProxy.Mode.BEARER, "alice", "s3cret", 1)) {
            RegistryClient client = RegistryClient.connect(proxy.registry(),
                    r -> Optional.of(new Credentials("alice", "s3cret")), Set.of());

            client.pullManifest(RepositoryName.of(repo), ManifestReference.parse("v1"));
            Thread.sleep(1200);
            client.pullManifest(RepositoryName.of(repo), ManifestReference.parse("v1"));

            assertThat(proxy.tokenRequests()).hasSize(2);
        }
    }

    @Test
    void wrongCredentialsAreUnauthorized() throws Exception {
        String repo = uniqueName("client");
        image("denied").push(pusher, repo, "v1");
        try (AuthProxy proxy = new AuthProxy(uri("/"), AuthProxy.Mode.BEARER, "alice", "s3cret", 300)) {
            RegistryClient client = RegistryClient.connect(proxy.registry(),
                    r -> Optional.of(new Credentials("alice", "wrong")), Set.of());

            assertThatThrownBy(() -> client.pullManifest(RepositoryName.of(repo), ManifestReference.parse("v1")))
                    .isInstanceOf(OciException.class)
                    .satisfies(e -> assertThat(((OciException) e).code()).isEqualTo(OciErrorCode.UNAUTHORIZED))
                    .hasMessageContaining("refused the credentials of alice");
        }
    }

    @Test
    void basicAuthSendsTheCredentialsAndNoneIsAnError() throws Exception {
        String repo = uniqueName("client");
        Descriptor pushed = image("basic").push(pusher, repo, "v1");
        try (AuthProxy proxy = new AuthProxy(uri("/"), AuthProxy.Mode.BASIC, "bob", "pw", 0)) {
            RegistryClient withCredentials = RegistryClient.connect(proxy.registry(),
                    r -> Optional.of(new Credentials("bob", "pw")), Set.of());
            RegistryClient without = RegistryClient.connect(proxy.registry(), CredentialSource.ANONYMOUS, Set.of());

            assertThat(withCredentials.pullManifest(RepositoryName.of(repo), ManifestReference.parse("v1")).digest()).isEqualTo(pushed.digest());
            assertThatThrownBy(() -> without.pullManifest(RepositoryName.of(repo), ManifestReference.parse("v1")))
                    .hasMessageContaining("log in to " + proxy.registry());
        }
    }

    private CredentialSource dockerConfig(String registryName, String user, String password) throws Exception {
        String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Path file = tmp.resolve("config.json");
        Files.writeString(file, "{\"auths\":{\"" + registryName + "\":{\"auth\":\"" + auth + "\"}}}");
        return new DockerConfigCredentials(file);
    }
}
