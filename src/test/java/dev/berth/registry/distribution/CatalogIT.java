package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v2/_catalog} (Docker's, not OCI's). The catalog is shared by every test of the
 * server, so these assert relative facts about names of their own.
 */
class CatalogIT extends OciSpecTest {

    private static List<String> repositories(OciClient.Response r) {
        List<String> names = new ArrayList<>();
        r.json().get("repositories").forEach(n -> names.add(n.asString()));
        return names;
    }

    @Test
    void repositoriesAreListedSorted() {
        String prefix = uniqueName("catalog");
        registry().pushImage(prefix + "/b", "t");
        registry().pushImage(prefix + "/a", "t");
        registry().pushImage(prefix + "/a-b", "t");
        registry().pushImage(prefix + "/a/c", "t");

        OciClient.Response r = registry().get("/v2/_catalog?n=1000");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        List<String> all = repositories(r);
        assertThat(all).isSorted();
        assertThat(all.stream().filter(n -> n.startsWith(prefix + "/")))
                .containsExactly(prefix + "/a", prefix + "/a-b", prefix + "/a/c", prefix + "/b");
    }

    @Test
    void pagesAreLinkedAndLastIsExclusive() {
        String prefix = uniqueName("catalogpage");
        for (String n : new String[] {"c", "a", "b"}) {
            registry().pushImage(prefix + "/" + n, "t");
        }

        OciClient.Response first = registry().get("/v2/_catalog?n=2&last=" + prefix);
        assertThat(repositories(first)).containsExactly(prefix + "/a", prefix + "/b");
        assertThat(first.header("Link")).startsWith("</v2/_catalog?n=2&last=").endsWith(">; rel=\"next\"");

        String link = first.header("Link");
        OciClient.Response second = registry().get(link.substring(1, link.indexOf('>')));
        assertThat(repositories(second).get(0)).isEqualTo(prefix + "/c");
    }

    @Test
    void theLastPageHasNoLink() {
        String name = "zzzzzzzzzzzzzzzz/" + Long.toString(System.nanoTime(), 36);
        registry().pushImage(name, "t");

        OciClient.Response r = registry().get("/v2/_catalog?n=5&last=zzzzzzzzzzzzzzzz");

        assertThat(repositories(r)).containsExactly(name);
        assertThat(r.header("Link")).isNull();
        assertThat(repositories(registry().get("/v2/_catalog?last=" + name))).isEmpty();
    }

    @Test
    void nZeroIsAnEmptyList() {
        OciClient.Response r = registry().get("/v2/_catalog?n=0");

        assertThat(r.status()).isEqualTo(200);
        assertThat(repositories(r)).isEmpty();
        assertThat(r.header("Link")).isNull();
    }

    @Test
    void aRepositoryWithoutManifestsIsNotListed() {
        String name = uniqueName("catalog-blobs-only");
        registry().pushBlob(name, OciClient.randomBytes(10));

        assertThat(repositories(registry().get("/v2/_catalog?n=1000&last=catalog-blobs-only"))).doesNotContain(name);
    }

    @Test
    void nTooLargeOrMalformedIs400PaginationNumberInvalid() {
        assertOciError(registry().get("/v2/_catalog?n=1001"), 400, "PAGINATION_NUMBER_INVALID");
        assertOciError(registry().get("/v2/_catalog?n=-3"), 400, "PAGINATION_NUMBER_INVALID");
        assertOciError(registry().get("/v2/_catalog?n=ten"), 400, "PAGINATION_NUMBER_INVALID");
    }

    @Test
    void theCatalogOnlyTakesGet() {
        OciClient.Response r = registry().delete("/v2/_catalog");

        assertOciError(r, 405, "UNSUPPORTED");
        assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
    }
}
