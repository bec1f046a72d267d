package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** end-3: pulling and checking manifests by tag and by digest. */
class ManifestPullIT extends OciSpecTest {

    private final String repo = uniqueName("manifestpull");

    @Test
    void getByTagAndByDigestServesTheStoredBytesAndType() {
        OciClient.Image image = registry().pushImage(repo, "latest");

        for (String reference : new String[] {"latest", image.digest()}) {
            OciClient.Response r = registry().get("/v2/" + repo + "/manifests/" + reference, "Accept", OciClient.OCI_MANIFEST);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(image.manifest());
            assertThat(r.header("Content-Type")).isEqualTo(OciClient.OCI_MANIFEST);
            assertThat(r.header("Docker-Content-Digest")).isEqualTo(image.digest());
            assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(image.manifest().length));
            assertThat(r.header("ETag")).isEqualTo("\"" + image.digest() + "\"");
        }
    }

    @Test
    void headByTagAndByDigestAnswersHeadersOnly() {
        OciClient.Image image = registry().pushImage(repo, "v2");

        for (String reference : new String[] {"v2", image.digest()}) {
            OciClient.Response r = registry().head("/v2/" + repo + "/manifests/" + reference);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
            assertThat(r.header("Content-Type")).isEqualTo(OciClient.OCI_MANIFEST);
            assertThat(r.header("Docker-Content-Digest")).isEqualTo(image.digest());
            assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(image.manifest().length));
        }
    }

    @Test
    void anUnknownTagOrDigestIs404ManifestUnknown() {
        registry().pushImage(repo, "present");

        assertOciError(registry().get("/v2/" + repo + "/manifests/absent"), 404, "MANIFEST_UNKNOWN");
        assertOciError(registry().get("/v2/" + repo + "/manifests/" + OciClient.sha256(new byte[3])), 404, "MANIFEST_UNKNOWN");
        OciClient.Response head = registry().head("/v2/" + repo + "/manifests/absent");
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aProbeByAReferenceThatIsNoTagNorDigestIs404ManifestUnknown() {
        registry().pushImage(repo, "present");

        for (String path : new String[] {"/v2/" + repo + "/manifests/.INVALID", "/v2/" + uniqueName("manifestpull-none") + "/manifests/.INVALID"}) {
            assertOciError(registry().get(path), 404, "MANIFEST_UNKNOWN");
            OciClient.Response head = registry().head(path);
            assertThat(head.status()).as(path).isEqualTo(404);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void aManifestOfAnUnknownRepositoryIs404() {
        OciClient.Response r = registry().get("/v2/" + uniqueName("manifestpull-none") + "/manifests/latest");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("errors").get(0).get("code").asString()).isIn("MANIFEST_UNKNOWN", "NAME_UNKNOWN");
    }

    @Test
    void aManifestIsOnlyServedFromItsOwnRepository() {
        OciClient.Image image = registry().pushImage(repo, "mine");
        String other = uniqueName("manifestpull-other");
        registry().pushImage(other, "theirs");

        assertOciError(registry().get("/v2/" + other + "/manifests/" + image.digest()), 404, "MANIFEST_UNKNOWN");
        assertOciError(registry().get("/v2/" + other + "/manifests/mine"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void tagsAreCaseSensitive() {
        OciClient.Image lower = registry().pushImage(repo, "release");
        OciClient.Image upper = registry().pushImage(repo, "Release");

        assertThat(registry().get("/v2/" + repo + "/manifests/release").body()).isEqualTo(lower.manifest());
        assertThat(registry().get("/v2/" + repo + "/manifests/Release").body()).isEqualTo(upper.manifest());
    }

    @Test
    void manifestsTakeOnlyTheirMethods() {
        OciClient.Response r = registry().post("/v2/" + repo + "/manifests/latest", new byte[0]);

        assertOciError(r, 405, "UNSUPPORTED");
        assertThat(r.header("Allow")).isEqualTo("GET, HEAD, PUT, DELETE");
    }
}
