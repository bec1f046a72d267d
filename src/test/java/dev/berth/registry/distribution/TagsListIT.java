package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** end-8a and end-8b: the tag list, in lexical order, a page at a time. */
class TagsListIT extends OciSpecTest {

    private final String repo = uniqueName("tagslist");

    private void pushTags(String... tags) {
        OciClient.Image image = registry().pushImage(repo, tags[0]);
        for (int i = 1; i < tags.length; i++) {
            registry().pushManifest(repo, tags[i], OciClient.OCI_MANIFEST, image.manifest());
        }
    }

    private static List<String> tags(OciClient.Response r) {
        List<String> tags = new ArrayList<>();
        JsonNode array = r.json().get("tags");
        array.forEach(t -> tags.add(t.asString()));
        return tags;
    }

    @Test
    void tagsAreListedInLexicalOrder() {
        pushTags("latest", "1.10", "1.9", "Zeta", "alpha", "_under", "1.0-rc");

        OciClient.Response r = registry().get("/v2/" + repo + "/tags/list");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().get("name").asString()).isEqualTo(repo);
        assertThat(tags(r)).containsExactly("1.0-rc", "1.10", "1.9", "Zeta", "_under", "alpha", "latest");
        assertThat(r.header("Link")).isNull();
    }

    @Test
    void nLimitsThePageAndLinkLeadsToTheNext() {
        pushTags("a", "b", "c", "d", "e");

        OciClient.Response first = registry().get("/v2/" + repo + "/tags/list?n=2");
        assertThat(tags(first)).containsExactly("a", "b");
        assertThat(first.header("Link")).isEqualTo("</v2/" + repo + "/tags/list?n=2&last=b>; rel=\"next\"");

        OciClient.Response second = registry().get(next(first));
        assertThat(tags(second)).containsExactly("c", "d");

        OciClient.Response third = registry().get(next(second));
        assertThat(tags(third)).containsExactly("e");
        assertThat(third.header("Link")).isNull();
    }

    @Test
    void aPageThatEndsExactlyAtTheLastTagHasNoLink() {
        pushTags("a", "b", "c", "d");

        OciClient.Response r = registry().get("/v2/" + repo + "/tags/list?n=2&last=b");

        assertThat(tags(r)).containsExactly("c", "d");
        assertThat(r.header("Link")).isNull();
    }

    @Test
    void lastIsExclusiveAndNeedNotBeATag() {
        pushTags("a", "b", "c");

        assertThat(tags(registry().get("/v2/" + repo + "/tags/list?last=a"))).containsExactly("b", "c");
        assertThat(tags(registry().get("/v2/" + repo + "/tags/list?last=bb"))).containsExactly("c");
        assertThat(tags(registry().get("/v2/" + repo + "/tags/list?last=c"))).isEmpty();
    }

    @Test
    void nAboveTheCountListsEverythingWithoutLink() {
        pushTags("x", "y");

        OciClient.Response r = registry().get("/v2/" + repo + "/tags/list?n=50");

        assertThat(tags(r)).containsExactly("x", "y");
        assertThat(r.header("Link")).isNull();
    }

    @Test
    void nZeroIsAnEmptyListWithoutLink() {
        pushTags("x", "y");

        OciClient.Response r = registry().get("/v2/" + repo + "/tags/list?n=0");

        assertThat(r.status()).isEqualTo(200);
        assertThat(tags(r)).isEmpty();
        assertThat(r.header("Link")).isNull();
    }

    @Test
    void anUnknownRepositoryIs404NameUnknown() {
        assertOciError(registry().get("/v2/" + uniqueName("tagslist-none") + "/tags/list"), 404, "NAME_UNKNOWN");
    }

    @Test
    void aBadNIs400() {
        pushTags("x");

        assertOciError(registry().get("/v2/" + repo + "/tags/list?n=-1"), 400, "PAGINATION_NUMBER_INVALID");
        assertOciError(registry().get("/v2/" + repo + "/tags/list?n=abc"), 400, "PAGINATION_NUMBER_INVALID");
        assertOciError(registry().get("/v2/" + repo + "/tags/list?n=99999999999999"), 400, "PAGINATION_NUMBER_INVALID");
    }

    @Test
    void aRepositoryWhoseTagsWereAllDeletedListsNone() {
        pushTags("gone");
        registry().delete("/v2/" + repo + "/manifests/gone");

        OciClient.Response r = registry().get("/v2/" + repo + "/tags/list");

        assertThat(r.status()).isEqualTo(200);
        assertThat(tags(r)).isEmpty();
    }

    private static String next(OciClient.Response r) {
        String link = r.header("Link");
        assertThat(link).as("Link header").isNotNull().endsWith(">; rel=\"next\"");
        return link.substring(1, link.indexOf('>'));
    }
}
