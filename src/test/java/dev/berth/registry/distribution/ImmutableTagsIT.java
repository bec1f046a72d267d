package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.ui.UiSession;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Issue 14 item 4 over HTTP: a tag that a {@code berth.immutable-tags} rule covers is pushed once
 * and then neither moved nor deleted, nor is the manifest it holds; everything else behaves as before.
 */
@TestPropertySource(locations = "classpath:immutable-tags.properties")
class ImmutableTagsIT extends OciSpecTest {

    private static final String RULE_0 = "berth.immutable-tags[0] (repositories immutable/**, tags v[0-9].*)";

    private final String repo = uniqueName("immutable");

    private static String message(OciClient.Response response) {
        return response.json().get("errors").get(0).get("message").asString();
    }

    @Test
    void aMatchingTagIsPushedOnceAndThenNeverMoved() {
        OciClient.Image first = registry().pushImage(repo, "v1.0");
        OciClient.Image second = registry().pushImage(repo, "latest");

        OciClient.Response moved = registry().putManifest(repo, "v1.0", OciClient.OCI_MANIFEST, second.manifest());

        assertOciError(moved, 403, "DENIED");
        assertThat(message(moved)).isEqualTo("tag v1.0 of " + repo + " is immutable under " + RULE_0 + ": it stays on "
                + first.digest() + "; push " + second.digest() + " under a new tag");
        assertThat(registry().get("/v2/" + repo + "/manifests/v1.0").body()).isEqualTo(first.manifest());

        // A manifest stored by the refused push alone goes with the refusal.
        byte[] fresh = OciClient.imageManifest(OciClient.OCI_MANIFEST, OciClient.OCI_CONFIG, second.config(),
                OciClient.OCI_LAYER, first.layer());
        assertOciError(registry().putManifest(repo, "v1.0", OciClient.OCI_MANIFEST, fresh), 403, "DENIED");
        assertOciError(registry().get("/v2/" + repo + "/manifests/" + OciClient.sha256(fresh)), 404, "MANIFEST_UNKNOWN");

        // The same manifest again changes nothing, so it is allowed (a retried push succeeds).
        OciClient.Response again = registry().putManifest(repo, "v1.0", OciClient.OCI_MANIFEST, first.manifest());
        assertThat(again.status()).as(again.text()).isEqualTo(201);
        assertThat(again.header("Docker-Content-Digest")).isEqualTo(first.digest());

        // A tag no rule covers moves as before, and so does the same tag in a repository no rule covers.
        assertThat(registry().putManifest(repo, "latest", OciClient.OCI_MANIFEST, first.manifest()).status()).isEqualTo(201);
        String mutable = uniqueName("mutable");
        registry().pushImage(mutable, "v1.0");
        OciClient.Image replaced = registry().pushImage(mutable, "v1.0");
        assertThat(registry().get("/v2/" + mutable + "/manifests/v1.0").body()).isEqualTo(replaced.manifest());
    }

    @Test
    void aMatchingTagCannotBeDeletedNorTheManifestItHolds() {
        OciClient.Image image = registry().pushImage(repo, "v2");
        registry().pushManifest(repo, "latest", OciClient.OCI_MANIFEST, image.manifest());

        OciClient.Response byTag = registry().delete("/v2/" + repo + "/manifests/v2");
        OciClient.Response byDigest = registry().delete("/v2/" + repo + "/manifests/" + image.digest());

        assertOciError(byTag, 403, "DENIED");
        assertThat(message(byTag)).isEqualTo("tag v2 of " + repo + " is immutable under " + RULE_0 + ": it cannot be deleted");
        assertOciError(byDigest, 403, "DENIED");
        assertThat(message(byDigest)).isEqualTo("manifest " + image.digest() + " of " + repo + " is held by tag v2, immutable under "
                + RULE_0 + ": it cannot be deleted");
        assertThat(registry().get("/v2/" + repo + "/manifests/v2").body()).isEqualTo(image.manifest());
        assertThat(registry().get("/v2/" + repo + "/manifests/latest").body()).isEqualTo(image.manifest());

        // Its other tag is not covered: that one goes, and the manifest stays with v2.
        assertThat(registry().delete("/v2/" + repo + "/manifests/latest").status()).isEqualTo(202);
        assertThat(registry().get("/v2/" + repo + "/tags/list").json().get("tags").toString()).isEqualTo("[\"v2\"]");
        // A covered tag that does not exist is unknown, as before.
        assertOciError(registry().delete("/v2/" + repo + "/manifests/v9"), 404, "MANIFEST_UNKNOWN");
    }

    @Test
    void theChildOfAnIndexUnderAnImmutableTagCannotBeDeleted() {
        OciClient.Image child = registry().pushImage(repo, "child");
        byte[] index = OciClient.index(OciClient.OCI_INDEX, OciClient.OCI_MANIFEST, child.digest(), "" + child.manifest().length);
        registry().pushManifest(repo, "v3", OciClient.OCI_INDEX, index);

        OciClient.Response refused = registry().delete("/v2/" + repo + "/manifests/" + child.digest());

        assertOciError(refused, 403, "DENIED");
        assertThat(message(refused)).isEqualTo("manifest " + child.digest() + " of " + repo + " is held by tag v3, immutable under "
                + RULE_0 + ": it cannot be deleted");
        assertThat(registry().get("/v2/" + repo + "/manifests/" + child.digest()).status()).isEqualTo(200);
        assertThat(registry().delete("/v2/" + repo + "/manifests/child").status()).as("the child's own tag is not covered").isEqualTo(202);
    }

    @Test
    void aRuleForEveryTagFreezesEachTagOfItsRepositories() {
        String frozen = uniqueName("frozen");
        OciClient.Image image = registry().pushImage(frozen, "latest");
        OciClient.Image other = registry().pushImage(frozen, "other");

        OciClient.Response moved = registry().putManifest(frozen, "latest", OciClient.OCI_MANIFEST, other.manifest());

        assertOciError(moved, 403, "DENIED");
        assertThat(message(moved)).contains("tag latest of " + frozen + " is immutable under berth.immutable-tags[1] (repositories frozen/*, tags .*)");
        assertThat(registry().get("/v2/" + frozen + "/manifests/latest").body()).isEqualTo(image.manifest());
        // frozen/* covers one path component only.
        String deeper = frozen + "/deeper";
        registry().pushImage(deeper, "latest");
        assertThat(registry().delete("/v2/" + deeper + "/manifests/latest").status()).isEqualTo(202);
    }

    @Test
    void theWebUiRefusesToDeleteAnImmutableTagAndSaysWhy() throws Exception {
        OciClient.Image image = registry().pushImage(repo, "v4");
        String action = "/r/" + repo + "/-/tag/v4/delete";

        HttpResponse<String> refused = new UiSession(this::uri).submit(action, action, Map.of());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("tag v4 of " + repo + " is immutable under " + RULE_0 + ": it cannot be deleted");
        assertThat(registry().get("/v2/" + repo + "/manifests/v4").body()).isEqualTo(image.manifest());
        // The administrators' page lists the configuration's rules, which only the configuration changes.
        String rules = new UiSession(this::uri).get("/admin/immutable-tags").body();
        assertThat(rules).contains("<td>berth.immutable-tags[0]</td>", "<td class=\"mono\">immutable/**</td>",
                "<td class=\"mono\">v[0-9].*</td>", "<td>configuration</td>", "<td>berth.immutable-tags[1]</td>")
                .doesNotContain("Remove</button>");
    }
}
