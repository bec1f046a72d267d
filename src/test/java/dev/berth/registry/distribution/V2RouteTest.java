package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a raw {@code /v2} path goes: the resource found from the end, the name checked against the grammar. */
class V2RouteTest {

    private static final String DIGEST = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String UUID = "0b5c9a1e-7f3d-4c2a-9e8b-1d2c3b4a5f6e";

    private static V2Route route(String rawPath) {
        return V2Route.fromRawPath(rawPath);
    }

    private static void assertRoute(String rawPath, V2Route.Kind kind, String name, String argument) {
        V2Route route = route(rawPath);
        assertThat(route.kind()).as(rawPath).isEqualTo(kind);
        assertThat(route.name()).as(rawPath).isEqualTo(name == null ? null : RepositoryName.of(name));
        assertThat(route.argument()).as(rawPath).isEqualTo(argument);
    }

    private static void assertRefused(String rawPath, OciErrorCode code) {
        assertThatThrownBy(() -> route(rawPath)).as(rawPath)
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void everyRouteShape() {
        assertRoute("/v2", V2Route.Kind.BASE, null, null);
        assertRoute("/v2/", V2Route.Kind.BASE, null, null);
        assertRoute("/v2/_catalog", V2Route.Kind.CATALOG, null, null);
        assertRoute("/v2/app/blobs/uploads/", V2Route.Kind.UPLOADS, "app", null);
        assertRoute("/v2/app/blobs/uploads", V2Route.Kind.UPLOADS, "app", null);
        assertRoute("/v2/app/blobs/uploads/" + UUID, V2Route.Kind.UPLOAD, "app", UUID);
        assertRoute("/v2/app/blobs/" + DIGEST, V2Route.Kind.BLOB, "app", DIGEST);
        assertRoute("/v2/app/manifests/latest", V2Route.Kind.MANIFEST, "app", "latest");
        assertRoute("/v2/app/manifests/" + DIGEST, V2Route.Kind.MANIFEST, "app", DIGEST);
        assertRoute("/v2/app/tags/list", V2Route.Kind.TAGS, "app", null);
        assertRoute("/v2/app/referrers/" + DIGEST, V2Route.Kind.REFERRERS, "app", DIGEST);
    }

    @Test
    void namesWithSlashesAreWhatPrecedesTheResource() {
        assertRoute("/v2/team/sub/app/tags/list", V2Route.Kind.TAGS, "team/sub/app", null);
        assertRoute("/v2/a/b/c/d/blobs/uploads/", V2Route.Kind.UPLOADS, "a/b/c/d", null);
        assertRoute("/v2/team/app/manifests/v1.2_3-rc", V2Route.Kind.MANIFEST, "team/app", "v1.2_3-rc");
        assertRoute("/v2/team/app/blobs/uploads/" + UUID, V2Route.Kind.UPLOAD, "team/app", UUID);
    }

    @Test
    void aNameMayEndInAResourceKeyword() {
        assertRoute("/v2/a/blobs/uploads/blobs/uploads/", V2Route.Kind.UPLOADS, "a/blobs/uploads", null);
        assertRoute("/v2/a/blobs/uploads/blobs/uploads/" + UUID, V2Route.Kind.UPLOAD, "a/blobs/uploads", UUID);
        assertRoute("/v2/a/blobs/uploads/blobs/" + DIGEST, V2Route.Kind.BLOB, "a/blobs/uploads", DIGEST);
        assertRoute("/v2/a/blobs/uploads/manifests/latest", V2Route.Kind.MANIFEST, "a/blobs/uploads", "latest");
        assertRoute("/v2/a/blobs/uploads/tags/list", V2Route.Kind.TAGS, "a/blobs/uploads", null);
        assertRoute("/v2/a/tags/list/tags/list", V2Route.Kind.TAGS, "a/tags/list", null);
        assertRoute("/v2/a/manifests/referrers/" + DIGEST, V2Route.Kind.REFERRERS, "a/manifests", DIGEST);
        assertRefused("/v2/_catalog/tags/list", OciErrorCode.NAME_INVALID);
    }

    @Test
    void percentEscapesAreDecodedBeforeRouting() {
        assertRoute("/v2/te%61m/app/tags/list", V2Route.Kind.TAGS, "team/app", null);
        assertRoute("/v2/app/blobs/" + DIGEST.replace(":", "%3A"), V2Route.Kind.BLOB, "app", DIGEST);
        assertRoute("/v2/app/blobs/" + DIGEST.replace(":", "%3a"), V2Route.Kind.BLOB, "app", DIGEST);
        assertRoute("/v2/app/%6danifests/latest", V2Route.Kind.MANIFEST, "app", "latest");
        assertRoute("/v2/%5Fcatalog", V2Route.Kind.CATALOG, null, null);
    }

    @Test
    void aPlusInThePathStaysAPlus() {
        assertRoute("/v2/app/manifests/a+b", V2Route.Kind.MANIFEST, "app", "a+b");
        assertRefused("/v2/a+b/tags/list", OciErrorCode.NAME_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/a/%", "/v2/a/%4/tags/list", "/v2/a%zz/tags/list", "/v2/a/tags/list%", "/v2/a%g1/tags/list"})
    void aMalformedEscapeIsNameInvalid(String rawPath) {
        assertRefused(rawPath, OciErrorCode.NAME_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/a/../b/tags/list", "/v2/a/./b/tags/list", "/v2/a/%2e%2e/b/tags/list", "/v2/a/%2E%2E/b/blobs/uploads/",
        "/v2/../etc/tags/list", "/v2/a/b/%2e/manifests/latest", "/v2/../../etc/passwd/blobs/" + DIGEST, "/v2/a/../../c/manifests/latest"})
    void dotComponentsStayInTheNameAndAreRefused(String rawPath) {
        assertRefused(rawPath, OciErrorCode.NAME_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/a//b/tags/list", "/v2//a/tags/list", "/v2/a/b//manifests/latest", "/v2///tags/list",
        "/v2/a%2F%2Fb/tags/list", "/v2/%2Fetc/passwd/tags/list"})
    void emptyComponentsAreRefused(String rawPath) {
        assertRefused(rawPath, OciErrorCode.NAME_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/App/tags/list", "/v2/a_/tags/list", "/v2/-a/tags/list", "/v2/a%00b/tags/list", "/v2/a\\b/tags/list",
        "/v2/a;x=y/b/tags/list", "/v2/caf%C3%A9/tags/list", "/v2/a%c3/tags/list"})
    void namesOutsideTheGrammarAreRefused(String rawPath) {
        assertRefused(rawPath, OciErrorCode.NAME_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/a/tags/list", "/v2x", "/v2_catalog", "/", "", "/v2/_catalog/", "/v2/_catalogue", "/v2/a/b/nothing",
        "/v2/a/blobs", "/v2/a/blobs/", "/v2/a/manifests/", "/v2/a/tags/lists", "/v2/a/tags/list/", "/v2/a/referrers/",
        "/v2/a/blobs/uploads/x/y", "/v2/a/manifests/x/", "/v2//"})
    void pathsThatNameNoResourceAreNotFound(String rawPath) {
        assertRefused(rawPath, OciErrorCode.NOT_FOUND);
    }

    @Test
    void anEscapedSlashInTheArgumentLeavesNoResource() {
        // Tomcat refuses an encoded slash before any servlet; were one to arrive, it still names nothing.
        assertRefused("/v2/a/b/blobs/..%2F..%2Fetc%2Fpasswd", OciErrorCode.NOT_FOUND);
        assertRefused("/v2/a/b/manifests/x%2Fy", OciErrorCode.NOT_FOUND);
    }

    @Test
    void theMessageOfAnUnknownPathIsShort() {
        String longPath = "/v2/" + "x".repeat(5000);
        assertThatThrownBy(() -> route(longPath)).isInstanceOf(OciException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300));
    }
}
