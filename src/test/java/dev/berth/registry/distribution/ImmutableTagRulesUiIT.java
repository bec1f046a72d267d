package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.ui.UiSession;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Immutable-tag rules set by an administrator on /admin/immutable-tags: stored, applied at once to
 * pushes and deletes over /v2 (with the rule's number in the message), refused when they cannot be
 * read, removed again; both changes in the audit log.
 */
class ImmutableTagRulesUiIT extends OciSpecTest {

    private static final String PAGE = "/admin/immutable-tags";

    @Test
    void aRuleSetInTheWebUiHoldsTagsUntilItIsRemoved() throws Exception {
        String repo = uniqueName("ui-immutable");
        UiSession admin = new UiSession(this::uri);
        OciClient.Image first = registry().pushImage(repo, "release-1");
        OciClient.Image second = registry().pushImage(repo, "latest");

        HttpResponse<String> added = admin.submit(PAGE, PAGE, Map.of("repositories", repo, "tags", "release-[0-9]+"));

        assertThat(added.statusCode()).isEqualTo(302);
        String page = admin.get(PAGE).body();
        assertThat(page).contains("Tags now immutable: repositories " + repo + ", tags release-[0-9]+.");
        Matcher rule = Pattern.compile("rule #(\\d+) set in the web UI</td>\\s*<td class=\"mono\">" + Pattern.quote(repo) + "</td>")
                .matcher(page);
        assertThat(rule.find()).as(page).isTrue();
        String name = "rule #" + rule.group(1) + " set in the web UI (repositories " + repo + ", tags release-[0-9]+)";

        OciClient.Response moved = registry().putManifest(repo, "release-1", OciClient.OCI_MANIFEST, second.manifest());
        assertOciError(moved, 403, "DENIED");
        assertThat(moved.json().get("errors").get(0).get("message").asString())
                .isEqualTo("tag release-1 of " + repo + " is immutable under " + name + ": it stays on " + first.digest()
                        + "; push " + second.digest() + " under a new tag");
        assertOciError(registry().delete("/v2/" + repo + "/manifests/release-1"), 403, "DENIED");
        assertThat(registry().putManifest(repo, "release-x", OciClient.OCI_MANIFEST, first.manifest()).status())
                .as("a tag the pattern does not cover").isEqualTo(201);

        HttpResponse<String> removed = admin.submit(PAGE, PAGE + "/" + rule.group(1) + "/delete", Map.of());

        assertThat(removed.statusCode()).isEqualTo(302);
        assertThat(admin.get(PAGE).body()).contains("Removed the rule repositories " + repo + ", tags release-[0-9]+.")
                .doesNotContain("rule #" + rule.group(1) + " ");
        assertThat(registry().putManifest(repo, "release-1", OciClient.OCI_MANIFEST, second.manifest()).status()).isEqualTo(201);
        String audit = admin.get("/admin/audit").body();
        assertThat(audit).contains("immutable-tags.add", "immutable-tags.remove", "repositories " + repo + ", tags release-[0-9]+");
    }

    @Test
    void aRuleThatCannotBeReadIsRefusedOnThePage() throws Exception {
        String repo = uniqueName("ui-immutable");
        UiSession admin = new UiSession(this::uri);

        admin.submit(PAGE, PAGE, Map.of("repositories", repo, "tags", "v[0-9"));

        String page = admin.get(PAGE).body();
        assertThat(page).contains("Tags is not a regular expression: Unclosed character class in v[0-9.")
                .doesNotContain("<td class=\"mono\">" + repo + "</td>");
        registry().pushImage(repo, "v1");
        registry().pushImage(repo, "v1"); // moves, as no rule was stored
    }
}
