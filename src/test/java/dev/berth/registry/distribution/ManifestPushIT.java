package dev.berth.registry.distribution;

import static dev.berth.registry.distribution.OciClient.imageManifest;
import static dev.berth.registry.distribution.OciClient.randomBytes;
import static dev.berth.registry.distribution.OciClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** end-7 and end-7b: pushing manifests of every media type, by tag and by digest, and the refusals. */
class ManifestPushIT extends OciSpecTest {

    private final String repo = uniqueName("manifestpush");

    private OciClient.Blob config() {
        return registry().pushBlob(repo, utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + System.nanoTime() + "}"));
    }

    private OciClient.Blob layer() {
        return registry().pushBlob(repo, randomBytes(512));
    }

    private void assertPulledAsPushed(String reference, byte[] manifest, String mediaType) {
        OciClient.Response pulled = registry().get("/v2/" + repo + "/manifests/" + reference, "Accept", mediaType);
        assertThat(pulled.status()).as(pulled.text()).isEqualTo(200);
        assertThat(pulled.body()).isEqualTo(manifest);
        assertThat(pulled.header("Content-Type")).isEqualTo(mediaType);
        assertThat(pulled.header("Docker-Content-Digest")).isEqualTo(OciClient.sha256(manifest));
    }

    @Test
    void aPushByTagAnswers201WithLocationAndTheDigestOfTheExactBytes() {
        byte[] manifest = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER, layer());
        String digest = OciClient.sha256(manifest);

        OciClient.Response r = registry().putManifest(repo, "v1", OciClient.OCI_MANIFEST, manifest);

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Docker-Content-Digest")).isEqualTo(digest);
        assertThat(r.header("Location")).isEqualTo("/v2/" + repo + "/manifests/" + digest);
        assertPulledAsPushed("v1", manifest, OciClient.OCI_MANIFEST);
        assertPulledAsPushed(digest, manifest, OciClient.OCI_MANIFEST);
    }

    @Test
    void aPushByDigestAnswers201() {
        byte[] manifest = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER, layer());
        String digest = OciClient.sha256(manifest);

        OciClient.Response r = registry().putManifest(repo, digest, OciClient.OCI_MANIFEST, manifest);

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Docker-Content-Digest")).isEqualTo(digest);
        assertThat(r.header("Location")).isEqualTo("/v2/" + repo + "/manifests/" + digest);
        assertThat(r.headers("OCI-Tag")).isEmpty();
        assertPulledAsPushed(digest, manifest, OciClient.OCI_MANIFEST);
    }

    @Test
    void theExactBytesAreKeptWhateverTheirWhitespaceAndKeyOrder() {
        OciClient.Blob config = config();
        OciClient.Blob layer = layer();
        byte[] manifest = utf8("{\n   \"layers\" : [ {\"size\":" + layer.size() + ",  \"digest\":\"" + layer.digest()
                + "\",\"mediaType\":\"" + OciClient.OCI_LAYER + "\"} ],\r\n\t\"config\":{\"digest\":\"" + config.digest()
                + "\",\"size\":" + config.size() + ",\"mediaType\":\"" + OciClient.OCI_CONFIG + "\"},"
                + "\"schemaVersion\" :2, \"annotations\":{\"z\":\"é ü \\u00e9\",\"a\":\"1\"},"
                + "\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\"   }\n\n");

        OciClient.Response r = registry().putManifest(repo, "odd", OciClient.OCI_MANIFEST, manifest);

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.header("Docker-Content-Digest")).isEqualTo(OciClient.sha256(manifest));
        assertPulledAsPushed("odd", manifest, OciClient.OCI_MANIFEST);
    }

    @Test
    void tagsGivenAsQueryParametersAreAllSetAndEchoed() {
        byte[] manifest = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER, layer());
        String digest = OciClient.sha256(manifest);

        OciClient.Response r = registry().put("/v2/" + repo + "/manifests/" + digest + "?tag=alpha&tag=beta&tag=1.0",
                manifest, "Content-Type", OciClient.OCI_MANIFEST);

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.headers("OCI-Tag")).containsExactlyInAnyOrder("alpha", "beta", "1.0");
        for (String tag : new String[] {"alpha", "beta", "1.0"}) {
            assertPulledAsPushed(tag, manifest, OciClient.OCI_MANIFEST);
        }
    }

    @Test
    void anInvalidTagParameterIs400() {
        byte[] manifest = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER, layer());
        String digest = OciClient.sha256(manifest);

        OciClient.Response r = registry().put("/v2/" + repo + "/manifests/" + digest + "?tag=ok&tag=-bad",
                manifest, "Content-Type", OciClient.OCI_MANIFEST);

        assertOciError(r, 400, "TAG_INVALID");
        assertOciError(registry().get("/v2/" + repo + "/manifests/ok"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void anOciIndexOfStoredManifestsIsAccepted() {
        byte[] child = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER, layer());
        registry().pushManifest(repo, OciClient.sha256(child), OciClient.OCI_MANIFEST, child);
        byte[] index = OciClient.index(OciClient.OCI_INDEX, OciClient.OCI_MANIFEST, OciClient.sha256(child), "" + child.length);

        OciClient.Response r = registry().putManifest(repo, "multi", OciClient.OCI_INDEX, index);

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertPulledAsPushed("multi", index, OciClient.OCI_INDEX);
    }

    @Test
    void aDockerSchema2ManifestAndManifestListAreAccepted() {
        byte[] manifest = imageManifest(OciClient.DOCKER_MANIFEST, OciClient.DOCKER_CONFIG, config(), OciClient.DOCKER_LAYER, layer());
        registry().pushManifest(repo, "docker", OciClient.DOCKER_MANIFEST, manifest);
        assertPulledAsPushed("docker", manifest, OciClient.DOCKER_MANIFEST);

        byte[] list = OciClient.index(OciClient.DOCKER_LIST, OciClient.DOCKER_MANIFEST, OciClient.sha256(manifest), "" + manifest.length);
        OciClient.Response r = registry().putManifest(repo, "docker-list", OciClient.DOCKER_LIST, list);

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertPulledAsPushed("docker-list", list, OciClient.DOCKER_LIST);
    }

    @Test
    void anArtifactWithAnArtifactTypeAndTheEmptyConfigIsAccepted() {
        OciClient.Blob empty = registry().pushBlob(repo, utf8("{}"));
        assertThat(empty.digest()).isEqualTo("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
        OciClient.Blob payload = registry().pushBlob(repo, utf8("signature bytes"));
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\","
                + "\"artifactType\":\"application/vnd.example.sbom.v1\",\"config\":" + OciClient.descriptor(OciClient.OCI_EMPTY, empty)
                + ",\"layers\":[" + OciClient.descriptor("application/vnd.example.sbom.layer.v1+json", payload) + "]}");

        OciClient.Response r = registry().putManifest(repo, "sbom", OciClient.OCI_MANIFEST, manifest);

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertPulledAsPushed("sbom", manifest, OciClient.OCI_MANIFEST);
    }

    @Test
    void anArtifactWithACustomConfigMediaTypeIsAccepted() {
        OciClient.Blob config = registry().pushBlob(repo, utf8("{\"helm\":\"chart\"}"));
        OciClient.Blob chart = registry().pushBlob(repo, randomBytes(256));
        byte[] manifest = imageManifest(OciClient.OCI_MANIFEST, "application/vnd.cncf.helm.config.v1+json", config,
                "application/vnd.cncf.helm.chart.content.v1.tar+gzip", chart);

        OciClient.Response r = registry().putManifest(repo, "chart", OciClient.OCI_MANIFEST, manifest);

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertPulledAsPushed("chart", manifest, OciClient.OCI_MANIFEST);
    }

    @Test
    void anOciManifestWithoutMediaTypeFieldTakesTheContentType() {
        OciClient.Blob config = config();
        byte[] manifest = utf8("{\"schemaVersion\":2,\"config\":" + OciClient.descriptor(OciClient.OCI_CONFIG, config) + ",\"layers\":[]}");

        OciClient.Response r = registry().putManifest(repo, "no-media-type", OciClient.OCI_MANIFEST, manifest);

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertPulledAsPushed("no-media-type", manifest, OciClient.OCI_MANIFEST);
    }

    @Test
    void pushingATagAgainMovesIt() {
        byte[] first = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER, layer());
        byte[] second = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER, layer());
        registry().pushManifest(repo, "moving", OciClient.OCI_MANIFEST, first);

        registry().pushManifest(repo, "moving", OciClient.OCI_MANIFEST, second);

        assertPulledAsPushed("moving", second, OciClient.OCI_MANIFEST);
        assertPulledAsPushed(OciClient.sha256(first), first, OciClient.OCI_MANIFEST);
    }

    @Test
    void aManifestWithASubjectThatDoesNotExistIsAccepted() {
        String subject = OciClient.sha256(randomBytes(32));
        OciClient.Blob empty = registry().pushBlob(repo, utf8("{}"));
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\",\"artifactType\":\"application/x.sig\","
                + "\"config\":" + OciClient.descriptor(OciClient.OCI_EMPTY, empty) + ",\"layers\":[" + OciClient.descriptor(OciClient.OCI_EMPTY, empty)
                + "],\"subject\":{\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\",\"digest\":\"" + subject + "\",\"size\":123}}");

        OciClient.Response r = registry().putManifest(repo, OciClient.sha256(manifest), OciClient.OCI_MANIFEST, manifest);

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.header("OCI-Subject")).isEqualTo(subject);
    }

    @Test
    void aManifestOfExactlyTheLimitIsAcceptedAndOneByteMoreIs413() {
        OciClient.Blob config = config();
        String head = "{\"schemaVersion\":2,\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\",\"config\":"
                + OciClient.descriptor(OciClient.OCI_CONFIG, config) + ",\"layers\":[],\"annotations\":{\"pad\":\"";
        String tail = "\"}}";
        int limit = 4 * 1024 * 1024;
        byte[] atLimit = utf8(head + "x".repeat(limit - head.length() - tail.length()) + tail);
        byte[] overLimit = utf8(head + "x".repeat(limit + 1 - head.length() - tail.length()) + tail);
        assertThat(atLimit).hasSize(limit);

        assertThat(registry().putManifest(repo, "big", OciClient.OCI_MANIFEST, atLimit).status()).isEqualTo(201);
        OciClient.Response tooBig = registry().putManifest(repo, "too-big", OciClient.OCI_MANIFEST, overLimit);

        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.header("Content-Type")).startsWith("application/json");
        assertErrorBody(tooBig.text(), "MANIFEST_INVALID");
        assertOciError(registry().get("/v2/" + repo + "/manifests/too-big"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void aManifestStreamedWithoutContentLengthIsHeldToTheSameLimit() {
        OciClient.Blob config = config();
        String head = "{\"schemaVersion\":2,\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\",\"config\":"
                + OciClient.descriptor(OciClient.OCI_CONFIG, config) + ",\"layers\":[],\"annotations\":{\"pad\":\"";
        byte[] overLimit = utf8(head + "x".repeat(4 * 1024 * 1024) + "\"}}");

        OciClient.Response r = registry().send("PUT", "/v2/" + repo + "/manifests/streamed",
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(overLimit)),
                "Content-Type", OciClient.OCI_MANIFEST);

        assertThat(r.status()).isEqualTo(413);
        assertErrorBody(r.text(), "MANIFEST_INVALID");
    }

    @Test
    void aPushByASha512DigestIsStoredUnderIt() {
        byte[] manifest = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER, layer());
        String digest = OciClient.sha512(manifest);

        OciClient.Response r = registry().putManifest(repo, digest, OciClient.OCI_MANIFEST, manifest);

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(r.header("Docker-Content-Digest")).isEqualTo(digest);
        OciClient.Response pulled = registry().get("/v2/" + repo + "/manifests/" + digest);
        assertThat(pulled.body()).isEqualTo(manifest);
        assertThat(pulled.header("Docker-Content-Digest")).isEqualTo(digest);
    }
}
