package dev.berth.registry.distribution;

import static dev.berth.registry.distribution.OciClient.imageManifest;
import static dev.berth.registry.distribution.OciClient.randomBytes;
import static dev.berth.registry.distribution.OciClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** end-7 failures: every manifest the registry must refuse, and that a refused one leaves nothing behind. */
class ManifestRejectionIT extends OciSpecTest {

    private final String repo = uniqueName("manifestreject");

    private OciClient.Blob config() {
        return registry().pushBlob(repo, utf8("{\"os\":\"linux\",\"n\":" + System.nanoTime() + "}"));
    }

    private void assertRefused(String tag, String mediaType, byte[] manifest, int status, String code) {
        assertOciError(registry().putManifest(repo, tag, mediaType, manifest), status, code);
        assertOciError(registry().get("/v2/" + repo + "/manifests/" + tag), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void aManifestWhoseLayerIsMissingIs400ManifestBlobUnknown() {
        OciClient.Blob missing = OciClient.Blob.of(randomBytes(100));
        byte[] manifest = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER, missing);

        assertRefused("missing-layer", OciClient.OCI_MANIFEST, manifest, 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void aManifestWhoseConfigIsMissingIs400ManifestBlobUnknown() {
        OciClient.Blob missing = OciClient.Blob.of(randomBytes(100));
        byte[] manifest = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, missing, OciClient.OCI_LAYER);

        assertRefused("missing-config", OciClient.OCI_MANIFEST, manifest, 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void aBlobOnlyInAnotherRepositoryDoesNotCount() {
        OciClient.Blob elsewhere = registry().pushBlob(uniqueName("manifestreject-other"), randomBytes(100));
        byte[] manifest = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER, elsewhere);

        assertRefused("other-repo-layer", OciClient.OCI_MANIFEST, manifest, 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void anIndexWhoseChildManifestIsMissingIs400ManifestBlobUnknown() {
        byte[] index = OciClient.index(OciClient.OCI_INDEX, OciClient.OCI_MANIFEST, OciClient.sha256(randomBytes(10)), "10");

        assertRefused("missing-child", OciClient.OCI_INDEX, index, 400, "MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void aPushByDigestWithTheWrongDigestIs400DigestInvalid() {
        byte[] manifest = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER);
        String wrong = OciClient.sha256(randomBytes(10));

        assertOciError(registry().putManifest(repo, wrong, OciClient.OCI_MANIFEST, manifest), 400, "DIGEST_INVALID");
        assertOciError(registry().get("/v2/" + repo + "/manifests/" + wrong), 404, "MANIFEST_UNKNOWN");
        assertOciError(registry().get("/v2/" + repo + "/manifests/" + OciClient.sha256(manifest)), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void invalidJsonIs400ManifestInvalid() {
        assertRefused("not-json", OciClient.OCI_MANIFEST, utf8("{\"schemaVersion\":2,"), 400, "MANIFEST_INVALID");
        assertRefused("array", OciClient.OCI_MANIFEST, utf8("[1,2,3]"), 400, "MANIFEST_INVALID");
        assertRefused("text", OciClient.OCI_MANIFEST, utf8("hello"), 400, "MANIFEST_INVALID");
        assertRefused("empty", OciClient.OCI_MANIFEST, new byte[0], 400, "MANIFEST_INVALID");
    }

    @Test
    void aSchemaVersionOtherThanTwoIs400ManifestInvalid() {
        OciClient.Blob config = config();
        for (String version : new String[] {"1", "3", "\"2\"", "null"}) {
            byte[] manifest = utf8("{\"schemaVersion\":" + version + ",\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\",\"config\":"
                    + OciClient.descriptor(OciClient.OCI_CONFIG, config) + ",\"layers\":[]}");
            assertRefused("schema", OciClient.OCI_MANIFEST, manifest, 400, "MANIFEST_INVALID");
        }
    }

    @Test
    void aMediaTypeThatContradictsTheContentTypeIs400ManifestInvalid() {
        byte[] manifest = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER);

        assertRefused("mismatch", OciClient.OCI_INDEX, manifest, 400, "MANIFEST_INVALID");
        assertRefused("mismatch", OciClient.DOCKER_MANIFEST, manifest, 400, "MANIFEST_INVALID");
    }

    @Test
    void anUnknownManifestMediaTypeIs400ManifestInvalid() {
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example.thing\",\"config\":"
                + OciClient.descriptor(OciClient.OCI_CONFIG, config()) + "}");

        assertRefused("unknown-type", "application/vnd.example.thing", manifest, 400, "MANIFEST_INVALID");
    }

    @Test
    void malformedDescriptorsAre400ManifestInvalid() {
        OciClient.Blob config = config();
        String prefix = "{\"schemaVersion\":2,\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\",";
        assertRefused("no-config", OciClient.OCI_MANIFEST, utf8(prefix + "\"layers\":[]}"), 400, "MANIFEST_INVALID");
        assertRefused("bad-digest", OciClient.OCI_MANIFEST, utf8(prefix + "\"config\":{\"mediaType\":\"" + OciClient.OCI_CONFIG
                + "\",\"digest\":\"sha256:nothex\",\"size\":2},\"layers\":[]}"), 400, "MANIFEST_INVALID");
        assertRefused("bad-size", OciClient.OCI_MANIFEST, utf8(prefix + "\"config\":{\"mediaType\":\"" + OciClient.OCI_CONFIG
                + "\",\"digest\":\"" + config.digest() + "\",\"size\":-1},\"layers\":[]}"), 400, "MANIFEST_INVALID");
        assertRefused("layers-object", OciClient.OCI_MANIFEST, utf8(prefix + "\"config\":" + OciClient.descriptor(OciClient.OCI_CONFIG, config)
                + ",\"layers\":{}}"), 400, "MANIFEST_INVALID");
        assertRefused("index-no-manifests", OciClient.OCI_INDEX, utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OciClient.OCI_INDEX + "\"}"),
                400, "MANIFEST_INVALID");
    }

    @Test
    void aNumberThatDoesNotFitIs400ManifestInvalidNamingTheField() {
        OciClient.Blob config = config();
        OciClient.Blob layer = registry().pushBlob(repo, randomBytes(100));
        String configDescriptor = OciClient.descriptor(OciClient.OCI_CONFIG, config);
        String prefix = "{\"schemaVersion\":2,\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\",";
        for (String size : new String[] {"9223372036854775808", "18446744073709551616", "-18446744073709551616", "-1"}) {
            String layerDescriptor = "{\"mediaType\":\"" + OciClient.OCI_LAYER + "\",\"digest\":\"" + layer.digest()
                    + "\",\"size\":" + size + "}";
            String oversizedConfig = "{\"mediaType\":\"" + OciClient.OCI_CONFIG + "\",\"digest\":\"" + config.digest()
                    + "\",\"size\":" + size + "}";
            assertRefusedNaming(utf8(prefix + "\"config\":" + configDescriptor + ",\"layers\":[" + layerDescriptor + "]}"),
                    "layers[0].size");
            assertRefusedNaming(utf8(prefix + "\"config\":" + oversizedConfig + ",\"layers\":[]}"), "config.size");
        }
        assertRefusedNaming(utf8("{\"schemaVersion\":18446744073709551618,\"mediaType\":\"" + OciClient.OCI_MANIFEST
                + "\",\"config\":" + configDescriptor + ",\"layers\":[]}"), "schemaVersion");
    }

    private void assertRefusedNaming(byte[] manifest, String field) {
        OciClient.Response answer = registry().putManifest(repo, "numbers", OciClient.OCI_MANIFEST, manifest);
        assertOciError(answer, 400, "MANIFEST_INVALID");
        assertThat(answer.json().get("errors").get(0).get("message").asString()).startsWith(field);
        assertOciError(registry().get("/v2/" + repo + "/manifests/numbers"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void anInvalidTagInThePathIs400TagInvalid() {
        byte[] manifest = imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, config(), OciClient.OCI_LAYER);

        assertOciError(registry().putManifest(repo, "-starts-with-dash", OciClient.OCI_MANIFEST, manifest), 400, "TAG_INVALID");
        assertOciError(registry().putManifest(repo, "x".repeat(129), OciClient.OCI_MANIFEST, manifest), 400, "TAG_INVALID");
        assertThat(registry().putManifest(repo, "x".repeat(128), OciClient.OCI_MANIFEST, manifest).status()).isEqualTo(201);
    }
}
