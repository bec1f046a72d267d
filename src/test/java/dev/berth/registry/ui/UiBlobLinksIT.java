package dev.berth.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.TestImageBuilder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The web UI shows blob contents only to a repository that links the blob, as /v2 serves them:
 * blobs are stored once for all repositories, so a page must not read by digest alone.
 */
class UiBlobLinksIT extends RegistryIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aPageOfOneRepositoryCannotReadABlobOnlyAnotherLinks() throws Exception {
        String a = uniqueName("ui-links-a");
        String b = uniqueName("ui-links-b");
        TestImageBuilder.Pushed inA = UiPagesIT.withSecretRemoved().push(http, this::uri, a, "1.0");
        TestImageBuilder.Pushed inB = UiPagesIT.withSecretRemoved().push(http, this::uri, b, "1.0");
        assertThat(inA).isEqualTo(inB); // the same blobs, stored once
        String layer0 = inA.layerDigests().get(0);
        // B's pages read the config and the first layer first: its listing is remembered.
        assertThat(get("/r/" + b + "/-/manifest/" + inB.digest() + "/layer/1?view=image&dir=etc").body())
                .contains("data-path=\"etc/os-release\"");

        // A keeps its manifest but no longer links the config and the first layer; only B does.
        for (String blob : new String[] {inA.configDigest(), layer0}) {
            assertThat(delete("/v2/" + a + "/blobs/" + blob).statusCode()).isEqualTo(202);
            assertThat(get("/v2/" + a + "/blobs/" + blob).statusCode()).isEqualTo(404);
            assertThat(get("/v2/" + b + "/blobs/" + blob).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> tagA = get("/r/" + a + "/-/tag/1.0");
        assertThat(tagA.statusCode()).isEqualTo(200);
        assertThat(tagA.body()).contains(inA.digest()).doesNotContain("GREETING=hello world", "&lt;demo&gt;", "ENV PATH=/bin");
        assertThat(get("/r/" + b + "/-/tag/1.0").body()).contains("GREETING=hello world", "&lt;demo&gt;", "ENV PATH=/bin");

        String layerA = get("/r/" + a + "/-/manifest/" + inA.digest() + "/layer/0?view=layer&dir=etc").body();
        String mergedA = get("/r/" + a + "/-/manifest/" + inA.digest() + "/layer/1?view=image&dir=etc").body();
        for (String page : new String[] {layerA, mergedA}) {
            assertThat(page).contains("role=\"alert\">layer " + layer0 + ": the layer is not in repository " + a + "</p>")
                    .doesNotContain("os-release", "etc/secret");
        }
        assertThat(get("/r/" + b + "/-/manifest/" + inB.digest() + "/layer/0?view=layer&dir=etc").body())
                .contains("data-path=\"etc/os-release\"", "data-path=\"etc/secret\"").doesNotContain("role=\"alert\"");

        // The platform column of A's manifest is not read from a config A does not link; B's is.
        get("/r/" + a);
        get("/r/" + b);
        assertThat(platform(a, inA.digest())).isNull();
        assertThat(platform(b, inB.digest())).isEqualTo("linux/amd64");
    }

    private String platform(String repository, String digest) {
        return jdbc.queryForObject("select platform from manifests where digest = ? and repository_id = "
                + "(select id from repositories where name = ?)", String.class, digest, repository);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
}
