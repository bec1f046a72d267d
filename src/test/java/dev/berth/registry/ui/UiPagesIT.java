package dev.berth.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.oci.Digest;
import dev.berth.runtime.unpack.LayerUnpackException;
import dev.berth.runtime.unpack.LayerUnpacker;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.TarBuilder;
import dev.berth.testing.TestImageBuilder;
import dev.berth.testing.TestLayer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The pages over real HTTP, against images pushed through the /v2 API. */
class UiPagesIT extends RegistryIntegrationTest {

    @Autowired
    JdbcTemplate jdbc;

    static TestImageBuilder base() {
        return new TestImageBuilder()
                .layer("/bin/sh -c #(nop) ADD file:rootfs in / ", new TarBuilder().dir("etc").file("etc/os-release", "ID=test\n")
                        .file("etc/secret", "hunter2").dir("bin").file("bin/busybox", "BUSYBOX".repeat(100), 0755).symlink("bin/sh", "busybox"))
                .emptyStep("/bin/sh -c #(nop)  ENV PATH=/bin")
                .env("PATH=/bin", "GREETING=hello world").entrypoint("/bin/sh", "-c").cmd("echo hi").workingDir("/srv").user("1000:1000")
                .exposedPort("8080/tcp").label("org.opencontainers.image.title", "<demo>");
    }

    static TestImageBuilder withSecretRemoved() {
        return base().layer("/bin/sh -c rm /etc/secret && mkdir /srv", new TarBuilder().whiteout("etc/secret").dir("srv").file("srv/app.txt", "app"))
                .emptyStep("/bin/sh -c #(nop)  CMD [\"sh\"]");
    }

    @Test
    void homeSearchesRepositoriesAndShowsTotals() throws Exception {
        String name = uniqueName("ui-home");
        base().push(http, this::uri, name, "1.0");

        String all = get("/").body();
        String found = get("/?q=" + name.substring(name.indexOf('/') + 1)).body();
        String none = get("/?q=no-such-repository-anywhere").body();

        assertThat(all).contains("repositories", "saved by sharing layers", name, "Access control is off");
        assertThat(found).contains("1 repository", "href=\"/r/" + name + "\"");
        assertThat(none).contains("0 repositories").doesNotContain(name);
    }

    @Test
    void aRepositoryIsListedOnceItHoldsAManifestAsInTheCatalog() throws Exception {
        String name = uniqueName("ui-upload-only");
        String search = "/?q=" + name.substring(name.indexOf('/') + 1);
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(uri("/v2/" + name + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).isEqualTo(202); // the repository exists now, holding an upload and nothing else

        assertThat(get(search).body()).contains("0 repositories").doesNotContain("href=\"/r/" + name + "\"");
        assertThat(catalogAfter(name.substring(0, name.length() - 1))).doesNotContain(name);

        base().push(http, this::uri, name, "1.0");
        assertThat(get(search).body()).contains("1 repository", "href=\"/r/" + name + "\"");
        assertThat(catalogAfter(name.substring(0, name.length() - 1))).contains("\"" + name + "\"");
    }

    @Test
    void repositoryPageSplitsStorageAndShowsPlatformsOfAnIndex() throws Exception {
        String name = uniqueName("ui-repo");
        String other = uniqueName("ui-other");
        TestImageBuilder.Pushed amd = base().push(http, this::uri, name, "amd64");
        TestImageBuilder.Pushed arm = base().platform("linux", "arm64").push(http, this::uri, name, "arm64");
        TestImageBuilder.pushIndex(http, this::uri, name, "multi", List.of(
                new String[] {amd.digest(), "500", "linux/amd64"}, new String[] {arm.digest(), "500", "linux/arm64"}));
        base().push(http, this::uri, other, "1.0"); // shares the layer, not the amd64 config

        String page = get("/r/" + name).body();

        assertThat(page).contains("<h1>" + name + "</h1>", "linux/amd64", "linux/arm64", "docker pull 127.0.0.1:" + port + "/" + name + ":multi",
                "podman pull --tls-verify=false 127.0.0.1:" + port, "berth pull", "only this repository holds", "shared with other repositories")
                .doesNotContain("<strong>0 B</strong> shared"); // the layer is in the other repository too
        assertThat(page).containsPattern("3 tags");
    }

    @Test
    void singlePlatformTagsShowTheirPlatformReadOnceFromTheConfig() throws Exception {
        String name = uniqueName("ui-platform");
        TestImageBuilder.Pushed amd = base().push(http, this::uri, name, "amd64");
        TestImageBuilder.Pushed arm = base().platform("linux", "arm").variant("v7").push(http, this::uri, name, "armv7");
        byte[] config = TestImageBuilder.utf8("{\"os\":\"linux\",\"architecture\":\"amd64\"}");
        String configDigest = TestImageBuilder.pushBlob(http, this::uri, name, config);
        String artifact = TestImageBuilder.pushManifest(http, this::uri, name, "sbom", "application/vnd.oci.image.manifest.v1+json",
                TestImageBuilder.utf8("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"artifactType\":\"application/vnd.example.sbom\",\"config\":{\"mediaType\":\"application/vnd.example.config+json\","
                        + "\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":[]}"));

        // Image configs that name no usable platform: not JSON, and names that are no os or architecture.
        String broken = pushImage(name, "broken", TestImageBuilder.utf8("{\"os\":\"linux\",\"architecture\":"));
        String odd = pushImage(name, "odd", TestImageBuilder.utf8("{\"os\":\"linux\",\"architecture\":\"<b>amd64</b>\",\"rootfs\":{\"os\":\"x\"}}"));

        String page = get("/r/" + name).body();
        assertThat(platformCell(page, name, "amd64")).isEqualTo("linux/amd64");
        assertThat(platformCell(page, name, "armv7")).isEqualTo("linux/arm/v7");
        assertThat(platformCell(page, name, "sbom")).as("an artifact names no platform, whatever its config says")
                .isEqualTo("application/vnd.example.sbom");
        assertThat(platform(name, amd.digest())).as("kept with the manifest").isEqualTo("linux/amd64");
        assertThat(platform(name, arm.digest())).isEqualTo("linux/arm/v7");
        assertThat(platform(name, artifact)).isEmpty();
        assertThat(platformCell(page, name, "broken")).isEmpty();
        assertThat(platformCell(page, name, "odd")).isEmpty();
        assertThat(platform(name, broken)).as("a blob never changes: no platform is final").isEmpty();
        assertThat(platform(name, odd)).isEmpty();

        // Later pages read the column, not the config: what it holds is what they show.
        setPlatform(name, amd.digest(), "plan9/mips");
        assertThat(platformCell(get("/r/" + name).body(), name, "amd64")).isEqualTo("plan9/mips");
        // A manifest pushed before the column existed (NULL) gets it the first time a page lists it.
        setPlatform(name, amd.digest(), null);
        assertThat(platformCell(get("/r/" + name).body(), name, "amd64")).isEqualTo("linux/amd64");
        assertThat(platform(name, amd.digest())).isEqualTo("linux/amd64");
    }

    /** An image manifest with this config blob and no layers. */
    private String pushImage(String name, String tag, byte[] config) throws Exception {
        String digest = TestImageBuilder.pushBlob(http, this::uri, name, config);
        return TestImageBuilder.pushManifest(http, this::uri, name, tag, "application/vnd.oci.image.manifest.v1+json",
                TestImageBuilder.utf8("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest
                        + "\",\"size\":" + config.length + "},\"layers\":[]}"));
    }

    /** The chips of a tag's Platforms cell on the repository page, space-separated. */
    private static String platformCell(String page, String name, String tag) {
        java.util.regex.Matcher row = java.util.regex.Pattern.compile("href=\"/r/" + java.util.regex.Pattern.quote(name) + "/-/tag/"
                + java.util.regex.Pattern.quote(tag) + "\">" + java.util.regex.Pattern.quote(tag)
                + "</a></td>\\s*<td class=\"digest\"[^>]*>[^<]*</td>\\s*<td class=\"hide-narrow\">(.*?)</td>", java.util.regex.Pattern.DOTALL)
                .matcher(page);
        assertThat(row.find()).as("a row for %s", tag).isTrue();
        java.util.regex.Matcher chip = java.util.regex.Pattern.compile("<span class=\"chip\">([^<]*)</span>").matcher(row.group(1));
        List<String> chips = new java.util.ArrayList<>();
        while (chip.find()) {
            chips.add(chip.group(1));
        }
        return String.join(" ", chips);
    }

    private String platform(String repository, String digest) {
        return jdbc.queryForObject("select platform from manifests where digest = ? and repository_id = "
                + "(select id from repositories where name = ?)", String.class, digest, repository);
    }

    private void setPlatform(String repository, String digest, String platform) {
        jdbc.update("update manifests set platform = ? where digest = ? and repository_id = (select id from repositories where name = ?)",
                platform, digest, repository);
    }

    @Test
    void tagPageShowsTheConfigAndLinesHistoryUpWithLayers() throws Exception {
        String name = uniqueName("ui-tag");
        TestImageBuilder.Pushed pushed = withSecretRemoved().push(http, this::uri, name, "2.0");

        String page = get("/r/" + name + "/-/tag/2.0").body();

        assertThat(page).contains("[&quot;/bin/sh&quot;, &quot;-c&quot;]", "GREETING=hello world", "/srv", "1000:1000", "8080/tcp",
                "&lt;demo&gt;", "linux/amd64", "ENV PATH=/bin", "RUN rm /etc/secret &amp;&amp; mkdir /srv", "CMD [&quot;sh&quot;]",
                pushed.digest(), "&quot;schemaVersion&quot; : 2");
        // Two layers, four steps: the two empty steps have no Browse link.
        assertThat(page.split(">Browse<", -1)).hasSize(3);
        assertThat(page).contains("/r/" + name + "/-/manifest/" + pushed.digest() + "/layer/1");
    }

    @Test
    void layerPageShowsWhatALayerDeletesAndTheMergedTree() throws Exception {
        String name = uniqueName("ui-layer");
        TestImageBuilder.Pushed pushed = withSecretRemoved().push(http, this::uri, name, "2.0");
        String layer = "/r/" + name + "/-/manifest/" + pushed.digest() + "/layer/";

        String second = get(layer + "1").body();
        String mergedEtc = get(layer + "1?view=image&dir=etc").body();
        String firstEtc = get(layer + "0?view=layer&dir=etc").body();

        assertThat(second).contains("Deleted by this layer", "/etc/secret", "1 deleted", "2 added");
        assertThat(mergedEtc).contains("data-path=\"etc/secret\"", "badge deleted", "os-release");
        assertThat(firstEtc).contains("data-path=\"etc/secret\"", "badge added").doesNotContain("<tr class=\"deleted\"");
    }

    @Test
    void aDirectoryOfManyEntriesIsListedAThousandAtATime() throws Exception {
        String name = uniqueName("ui-big-dir");
        TarBuilder tar = new TarBuilder().dir("many");
        for (int i = 0; i < 1001; i++) {
            tar.file(String.format("many/f%04d", i), "x");
        }
        TestImageBuilder.Pushed pushed = new TestImageBuilder().layer("ADD many /", tar).push(http, this::uri, name, "1");
        String dir = "/r/" + name + "/-/manifest/" + pushed.digest() + "/layer/0?view=layer&dir=many";

        String first = get(dir).body();
        String second = get(dir + "&page=2").body();

        assertThat(first.split("data-path=\"many/", -1)).hasSize(1001);
        assertThat(first).contains("1,001 entries", "data-path=\"many/f0999\"", "&amp;page=2\" rel=\"next\"").doesNotContain("many/f1000");
        assertThat(second.split("data-path=\"many/", -1)).hasSize(2);
        assertThat(second).contains("data-path=\"many/f1000\"", "Page 2 of 2");
    }

    @Test
    void aLayerTheRuntimeRefusesIsShownWithTheRuntimesReason(@TempDir Path tmp) throws Exception {
        String name = uniqueName("ui-refused");
        byte[] dotDot = TestLayer.create().dir("etc", 0755).file("../x", "escaped", 0644).tar();
        byte[] absolute = TestLayer.create().file("/etc/x", "absolute", 0644).tar();
        TestImageBuilder.Pushed climbing = new TestImageBuilder().layer("ADD x ../", dotDot).push(http, this::uri, name, "dot-dot");
        TestImageBuilder.Pushed rooted = base().layer("ADD x /etc/", absolute).push(http, this::uri, name, "absolute");

        for (TestImageBuilder.Pushed pushed : List.of(climbing, rooted)) {
            int last = pushed.layerDigests().size() - 1;
            byte[] blob = TarBuilder.gzip(pushed == climbing ? dotDot : absolute);
            Digest digest = Digest.sha256(blob);
            assertThat(digest.toString()).isEqualTo(pushed.layerDigests().get(last));
            Path root = Files.createDirectory(tmp.resolve("root" + last));
            String refusal = catchThrowableOfType(LayerUnpackException.class,
                    () -> new LayerUnpacker(false).unpack(digest, new ByteArrayInputStream(blob), root)).getMessage();
            assertThat(refusal).isEqualTo("layer " + digest + (pushed == climbing
                    ? ": entry ../x: refused: .. climbs out of the layer root" : ": entry /etc/x: refused: absolute names are not allowed"));

            for (int look = 0; look < 2; look++) { // the first look reads the layer, the second finds the reason recorded
                HttpResponse<String> page = get("/r/" + name + "/-/manifest/" + pushed.digest() + "/layer/" + last);
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("role=\"alert\">" + refusal + "</p>").doesNotContain("data-path=\"x\"");
            }
        }
        // The good layer under the refused one is still listed.
        assertThat(get("/r/" + name + "/-/manifest/" + rooted.digest() + "/layer/0?dir=etc").body())
                .contains("data-path=\"etc/os-release\"").doesNotContain("role=\"alert\"");
    }

    @Test
    void compareListsSharedLayersAndFileChanges() throws Exception {
        String name = uniqueName("ui-compare");
        base().push(http, this::uri, name, "1.0");
        withSecretRemoved().push(http, this::uri, name, "2.0");

        String page = get("/r/" + name + "/-/compare?a=1.0&b=2.0").body();

        assertThat(page).contains("1 / 0 / 1", "data-path=\"etc/secret\"", "data-path=\"srv/app.txt\"", "2 added", "1 removed");
    }

    @Test
    void compareOfAnIndexUsesThePlatformPicked() throws Exception {
        String name = uniqueName("ui-compare-index");
        TestImageBuilder.Pushed amd = base().push(http, this::uri, name, "single");
        TestImageBuilder.Pushed arm = base().platform("linux", "arm64").layer("ADD arm.txt /", new TarBuilder().file("arm.txt", "arm"))
                .push(http, this::uri, name, "arm");
        TestImageBuilder.pushIndex(http, this::uri, name, "multi", List.of(
                new String[] {amd.digest(), "500", "linux/amd64"}, new String[] {arm.digest(), "500", "linux/arm64"}));

        String first = get("/r/" + name + "/-/compare?a=single&b=multi").body();
        String picked = get("/r/" + name + "/-/compare?a=single&b=multi&platform=linux/arm64").body();

        assertThat(first).contains("<option value=\"linux/amd64\" selected=\"selected\">", "<option value=\"linux/arm64\">",
                "multi linux/amd64 (compressed)").doesNotContain("data-path=\"arm.txt\"");
        assertThat(picked).contains("<option value=\"linux/arm64\" selected=\"selected\">", "multi linux/arm64 (compressed)",
                "data-path=\"arm.txt\"");
    }

    @Test
    void deletingATagGoesThroughTheApiRulesAndRefusesOtherSites() throws Exception {
        String name = uniqueName("ui-delete");
        base().push(http, this::uri, name, "doomed");
        String action = "/r/" + name + "/-/tag/doomed/delete";

        assertThat(get(action).body()).contains("Delete tag doomed?", "method=\"post\"");
        HttpResponse<String> foreign = post(action, "http://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(get("/v2/" + name + "/manifests/doomed").statusCode()).isEqualTo(200);

        HttpResponse<String> withoutCsrfToken = post(action, "http://127.0.0.1:" + port);
        assertThat(withoutCsrfToken.statusCode()).isEqualTo(403);
        assertThat(get("/v2/" + name + "/manifests/doomed").statusCode()).isEqualTo(200);

        HttpResponse<String> deleted = new UiSession(this::uri).submit(action, action, java.util.Map.of());

        assertThat(deleted.statusCode()).isEqualTo(302);
        assertThat(deleted.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/r/" + name + "?deleted=doomed"));
        assertThat(get("/v2/" + name + "/manifests/doomed").statusCode()).isEqualTo(404);
    }

    @Test
    void missingThingsGetAFriendly404AndNeverAStackTrace() throws Exception {
        String name = uniqueName("ui-missing");
        base().push(http, this::uri, name, "1.0");
        String zero = "sha256:" + "0".repeat(64);

        for (String path : List.of("/r/no/such/repo", "/r/" + name + "/-/tag/nope", "/r/" + name + "/-/manifest/" + zero,
                "/r/" + name + "/-/manifest/sha256:xyz", "/r/" + name + "/-/tag/1.0/layer/0", "/r/" + name + "/-/whatever",
                "/r/NOT..valid", "/nothing-here")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
            assertThat(r.body()).as(path).contains("Not found").doesNotContain("Exception", "at dev.berth", "Whitelabel");
        }
    }

    @Test
    void pagesSendAContentSecurityPolicyAndHoldNothingItWouldRefuse() throws Exception {
        String name = uniqueName("ui-csp");
        base().push(http, this::uri, name, "1.0");
        TestImageBuilder.Pushed second = withSecretRemoved().push(http, this::uri, name, "2.0");

        for (String path : List.of("/", "/?q=csp", "/r/" + name, "/r/" + name + "/-/tag/2.0",
                "/r/" + name + "/-/manifest/" + second.digest() + "/layer/1", "/r/" + name + "/-/compare?a=1.0&b=2.0", "/login",
                "/orgs", "/r/no/such/repo")) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(path.startsWith("/r/no/") ? 404 : 200);
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).hasValueSatisfying(policy -> assertThat(policy)
                    .contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval", "*"));
            // Inline script, event handler attributes and style attributes would be refused by that policy.
            assertThat(r.body()).as(path).doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>")
                    .doesNotContainPattern("\\son[a-z]+=").doesNotContain("style=", "<style", "javascript:");
        }
        assertThat(get("/r/" + name).body()).containsPattern("<rect class=\"own\"[^>]* width=\"[0-9]+\"");
    }

    @Test
    void assetsAreServedLocally() throws Exception {
        assertThat(get("/webjars/htmx.org/dist/htmx.min.js").statusCode()).isEqualTo(200);
        assertThat(get("/ui/berth.css").statusCode()).isEqualTo(200);
        assertThat(get("/").body()).doesNotContainPattern("(src|href)=\"(https?:)?//");
    }

    private String catalogAfter(String last) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/v2/_catalog?n=1000&last=" + last)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String origin) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Origin", origin).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
