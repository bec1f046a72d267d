package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** end-9: deleting a manifest by digest (with its tags) or only a tag. */
class ManifestDeleteIT extends OciSpecTest {

    private final String repo = uniqueName("manifestdelete");

    private void tag(String tag, OciClient.Image image) {
        registry().pushManifest(repo, tag, OciClient.OCI_MANIFEST, image.manifest());
    }

    @Test
    void deletingByDigestRemovesTheManifestAndEveryTagOnIt() {
        OciClient.Image image = registry().pushImage(repo, "one");
        tag("two", image);
        tag("three", image);
        OciClient.Image other = registry().pushImage(repo, "other");

        OciClient.Response r = registry().delete("/v2/" + repo + "/manifests/" + image.digest());

        assertThat(r.status()).isEqualTo(202);
        assertOciError(registry().get("/v2/" + repo + "/manifests/" + image.digest()), 404, "MANIFEST_UNKNOWN");
        for (String tag : new String[] {"one", "two", "three"}) {
            assertOciError(registry().get("/v2/" + repo + "/manifests/" + tag), 404, "MANIFEST_UNKNOWN");
            assertThat(registry().head("/v2/" + repo + "/manifests/" + tag).status()).isEqualTo(404);
        }
        assertThat(registry().get("/v2/" + repo + "/manifests/other").body()).isEqualTo(other.manifest());
        assertThat(registry().get("/v2/" + repo + "/tags/list").json().get("tags").toString()).isEqualTo("[\"other\"]");
        assertOciError(registry().delete("/v2/" + repo + "/manifests/" + image.digest()), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void deletingByTagRemovesOnlyThatTag() {
        OciClient.Image image = registry().pushImage(repo, "keep");
        tag("drop", image);

        OciClient.Response r = registry().delete("/v2/" + repo + "/manifests/drop");

        assertThat(r.status()).isEqualTo(202);
        assertOciError(registry().get("/v2/" + repo + "/manifests/drop"), 404, "MANIFEST_UNKNOWN");
        assertThat(registry().get("/v2/" + repo + "/manifests/keep").body()).isEqualTo(image.manifest());
        assertThat(registry().get("/v2/" + repo + "/manifests/" + image.digest()).body()).isEqualTo(image.manifest());
        assertThat(registry().get("/v2/" + repo + "/tags/list").json().get("tags").toString()).isEqualTo("[\"keep\"]");
        assertOciError(registry().delete("/v2/" + repo + "/manifests/drop"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void aManifestCanBePushedAgainAfterItWasDeleted() {
        OciClient.Image image = registry().pushImage(repo, "again");
        registry().delete("/v2/" + repo + "/manifests/" + image.digest());

        tag("again", image);

        assertThat(registry().get("/v2/" + repo + "/manifests/again").body()).isEqualTo(image.manifest());
    }

    @Test
    void deletingAnUnknownManifestOrTagIs404() {
        registry().pushImage(repo, "present");

        assertOciError(registry().delete("/v2/" + repo + "/manifests/absent"), 404, "MANIFEST_UNKNOWN");
        assertOciError(registry().delete("/v2/" + repo + "/manifests/" + OciClient.sha256(new byte[5])), 404, "MANIFEST_UNKNOWN");
        OciClient.Response unknownRepo = registry().delete("/v2/" + uniqueName("manifestdelete-none") + "/manifests/latest");
        assertThat(unknownRepo.status()).isEqualTo(404);
        assertThat(unknownRepo.json().get("errors").get(0).get("code").asString()).isIn("MANIFEST_UNKNOWN", "NAME_UNKNOWN");
    }

    @Test
    void anIndexChildStaysWhenTheIndexIsDeleted() {
        OciClient.Image child = registry().pushImage(repo, "child");
        byte[] index = OciClient.index(OciClient.OCI_INDEX, OciClient.OCI_MANIFEST, child.digest(), "" + child.manifest().length);
        registry().pushManifest(repo, "parent", OciClient.OCI_INDEX, index);

        assertThat(registry().delete("/v2/" + repo + "/manifests/" + OciClient.sha256(index)).status()).isEqualTo(202);

        assertOciError(registry().get("/v2/" + repo + "/manifests/parent"), 404, "MANIFEST_UNKNOWN");
        assertThat(registry().get("/v2/" + repo + "/manifests/child").status()).isEqualTo(200);
    }
}
