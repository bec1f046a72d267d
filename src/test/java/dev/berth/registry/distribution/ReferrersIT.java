package dev.berth.registry.distribution;

import static dev.berth.registry.distribution.OciClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** end-12a and end-12b: the referrers API, and OCI-Subject on push. */
class ReferrersIT extends OciSpecTest {

    private final String repo = uniqueName("referrers");

    /** Pushes an artifact about {@code subject}; returns its bytes. */
    private byte[] pushReferrer(String subject, String artifactType, String configType, String annotations) {
        OciClient.Blob config = registry().pushBlob(repo, utf8(configType.equals(OciClient.OCI_EMPTY) ? "{}" : "{\"k\":\"v\"}"));
        OciClient.Blob layer = registry().pushBlob(repo, OciClient.randomBytes(64));
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\","
                + (artifactType == null ? "" : "\"artifactType\":\"" + artifactType + "\",")
                + "\"config\":" + OciClient.descriptor(configType, config) + ",\"layers\":[" + OciClient.descriptor("application/octet-stream", layer)
                + "],\"subject\":{\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\",\"digest\":\"" + subject + "\",\"size\":100}"
                + (annotations == null ? "" : ",\"annotations\":" + annotations) + "}");
        OciClient.Response r = registry().pushManifest(repo, OciClient.sha256(manifest), OciClient.OCI_MANIFEST, manifest);
        assertThat(r.header("OCI-Subject")).isEqualTo(subject);
        return manifest;
    }

    private static Map<String, JsonNode> byDigest(OciClient.Response r) {
        Map<String, JsonNode> out = new HashMap<>();
        r.json().get("manifests").forEach(d -> out.put(d.get("digest").asString(), d));
        return out;
    }

    private static void assertIsIndex(OciClient.Response r) {
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo(OciClient.OCI_INDEX);
        JsonNode index = r.json();
        assertThat(index.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(index.get("mediaType").asString()).isEqualTo(OciClient.OCI_INDEX);
        assertThat(index.get("manifests").isArray()).isTrue();
    }

    @Test
    void aSubjectWithoutReferrersHasAnEmptyIndex() {
        OciClient.Image image = registry().pushImage(repo, "plain");

        OciClient.Response r = registry().get("/v2/" + repo + "/referrers/" + image.digest());

        assertIsIndex(r);
        assertThat(r.json().get("manifests").size()).isZero();
        assertThat(r.header("OCI-Filters-Applied")).isNull();
    }

    @Test
    void anUnknownRepositoryOrDigestIsAnEmptyIndexNot404() {
        String digest = OciClient.sha256(OciClient.randomBytes(20));

        assertIsIndex(registry().get("/v2/" + repo + "/referrers/" + digest));
        OciClient.Response unknownRepo = registry().get("/v2/" + uniqueName("referrers-none") + "/referrers/" + digest);
        assertIsIndex(unknownRepo);
        assertThat(unknownRepo.json().get("manifests").size()).isZero();
    }

    @Test
    void referrersAreListedWithArtifactTypeAndAnnotations() {
        OciClient.Image image = registry().pushImage(repo, "signed");
        byte[] signature = pushReferrer(image.digest(), "application/vnd.example.signature", OciClient.OCI_EMPTY,
                "{\"org.opencontainers.image.created\":\"2026-01-01T00:00:00Z\",\"note\":\"signed\"}");
        byte[] sbom = pushReferrer(image.digest(), null, "application/vnd.example.sbom.config+json", null);

        OciClient.Response r = registry().get("/v2/" + repo + "/referrers/" + image.digest());

        assertIsIndex(r);
        Map<String, JsonNode> found = byDigest(r);
        assertThat(found).containsOnlyKeys(OciClient.sha256(signature), OciClient.sha256(sbom));
        JsonNode sig = found.get(OciClient.sha256(signature));
        assertThat(sig.get("mediaType").asString()).isEqualTo(OciClient.OCI_MANIFEST);
        assertThat(sig.get("size").asLong()).isEqualTo(signature.length);
        assertThat(sig.get("artifactType").asString()).isEqualTo("application/vnd.example.signature");
        assertThat(sig.get("annotations").get("note").asString()).isEqualTo("signed");
        assertThat(sig.get("annotations").get("org.opencontainers.image.created").asString()).isEqualTo("2026-01-01T00:00:00Z");
        JsonNode bom = found.get(OciClient.sha256(sbom));
        assertThat(bom.get("artifactType").asString()).isEqualTo("application/vnd.example.sbom.config+json");
        assertThat(bom.get("size").asLong()).isEqualTo(sbom.length);
    }

    @Test
    void artifactTypeFiltersTheListAndSaysSo() {
        OciClient.Image image = registry().pushImage(repo, "filtered");
        byte[] signature = pushReferrer(image.digest(), "application/vnd.example.signature", OciClient.OCI_EMPTY, null);
        pushReferrer(image.digest(), "application/vnd.example.sbom", OciClient.OCI_EMPTY, null);

        OciClient.Response r = registry().get("/v2/" + repo + "/referrers/" + image.digest()
                + "?artifactType=application/vnd.example.signature");

        assertIsIndex(r);
        assertThat(r.header("OCI-Filters-Applied")).isEqualTo("artifactType");
        assertThat(byDigest(r)).containsOnlyKeys(OciClient.sha256(signature));
        OciClient.Response none = registry().get("/v2/" + repo + "/referrers/" + image.digest() + "?artifactType=application/x-none");
        assertThat(none.json().get("manifests").size()).isZero();
        assertThat(none.header("OCI-Filters-Applied")).isEqualTo("artifactType");
    }

    @Test
    void referrersOfASubjectNotYetPushedAreListed() {
        String future = OciClient.sha256(OciClient.randomBytes(40));
        byte[] early = pushReferrer(future, "application/vnd.example.early", OciClient.OCI_EMPTY, null);

        assertThat(byDigest(registry().get("/v2/" + repo + "/referrers/" + future))).containsOnlyKeys(OciClient.sha256(early));
    }

    @Test
    void aDeletedReferrerIsNoLongerListed() {
        OciClient.Image image = registry().pushImage(repo, "unsigned-later");
        byte[] signature = pushReferrer(image.digest(), "application/vnd.example.signature", OciClient.OCI_EMPTY, null);

        registry().delete("/v2/" + repo + "/manifests/" + OciClient.sha256(signature));

        assertThat(registry().get("/v2/" + repo + "/referrers/" + image.digest()).json().get("manifests").size()).isZero();
    }

    @Test
    void referrersInAnotherRepositoryAreNotListed() {
        OciClient.Image image = registry().pushImage(repo, "lonely");
        pushReferrer(image.digest(), "application/vnd.example.signature", OciClient.OCI_EMPTY, null);

        String other = uniqueName("referrers-other");
        assertThat(registry().get("/v2/" + other + "/referrers/" + image.digest()).json().get("manifests").size()).isZero();
    }

    @Test
    void anIndexWithASubjectIsListedWithoutArtifactTypeUnlessItHasOne() {
        OciClient.Image image = registry().pushImage(repo, "with-index-referrer");
        OciClient.Image child = registry().pushImage(repo, "index-child");
        byte[] index = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OciClient.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + OciClient.OCI_MANIFEST + "\",\"digest\":\"" + child.digest() + "\",\"size\":" + child.manifest().length
                + "}],\"subject\":{\"mediaType\":\"" + OciClient.OCI_MANIFEST + "\",\"digest\":\"" + image.digest() + "\",\"size\":"
                + image.manifest().length + "}}");

        OciClient.Response pushed = registry().pushManifest(repo, "index-referrer", OciClient.OCI_INDEX, index);

        assertThat(pushed.header("OCI-Subject")).isEqualTo(image.digest());
        JsonNode listed = byDigest(registry().get("/v2/" + repo + "/referrers/" + image.digest())).get(OciClient.sha256(index));
        assertThat(listed).isNotNull();
        assertThat(listed.get("mediaType").asString()).isEqualTo(OciClient.OCI_INDEX);
        assertThat(listed.has("artifactType")).isFalse();
    }

    @Test
    void anInvalidDigestIs400() {
        assertOciError(registry().get("/v2/" + repo + "/referrers/sha256:abc"), 400, "DIGEST_INVALID");
        assertOciError(registry().get("/v2/" + repo + "/referrers/latest"), 400, "DIGEST_INVALID");
        assertOciError(registry().get("/v2/" + repo + "/referrers/md5:d41d8cd98f00b204e9800998ecf8427e"), 400, "DIGEST_INVALID");
    }

    @Test
    void aManifestWithoutSubjectHasNoOciSubjectHeader() {
        OciClient.Image image = registry().pushImage(repo, "no-subject");

        OciClient.Response again = registry().pushManifest(repo, "no-subject-2", OciClient.OCI_MANIFEST, image.manifest());

        assertThat(again.header("OCI-Subject")).isNull();
    }
}
