package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The grammar of names, tags and digests: anything outside it is a 400 with the right code, except a
 * manifest reference to read or delete, which names no manifest (404).
 */
class NameAndDigestValidationIT extends OciSpecTest {

    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @Test
    void badRepositoryNamesAre400NameInvalid() {
        String[] names = {"Upper/case", "team/App", "a..b", "-lead", "trail-", "a___b", "a/.hidden", "a/_x", "a.", "a//b", "a/b/"};
        for (String name : names) {
            assertOciError(registry().get("/v2/" + name + "/tags/list"), 400, "NAME_INVALID");
            assertOciError(registry().get("/v2/" + name + "/blobs/" + DIGEST), 400, "NAME_INVALID");
            assertOciError(registry().post("/v2/" + name + "/blobs/uploads/", null), 400, "NAME_INVALID");
        }
    }

    @Test
    void aNameOfMoreThan255CharactersIs400NameInvalid() {
        String longest = "a".repeat(100) + "/" + "b".repeat(100) + "/" + "c".repeat(53);
        assertThat(longest).hasSize(255);

        assertOciError(registry().get("/v2/" + longest + "/tags/list"), 404, "NAME_UNKNOWN");
        assertOciError(registry().get("/v2/" + longest + "c/tags/list"), 400, "NAME_INVALID");
        assertOciError(registry().get("/v2/" + "x".repeat(5000) + "/manifests/latest"), 400, "NAME_INVALID");
    }

    @Test
    void namesInTheGrammarAreAccepted() {
        String[] names = {"a", "a/b/c/d", "a.b", "a_b", "a__b", "a-b", "a---b", "0/9"};
        for (String name : names) {
            OciClient.Response r = registry().post("/v2/" + uniqueName("valid") + "/" + name + "/blobs/uploads/", null);
            assertThat(r.status()).as(name).isEqualTo(202);
        }
    }

    @Test
    void aBadTagNamesNoManifestToReadOrDeleteAndCannotBePushedTo() {
        String repo = uniqueName("badtags");
        OciClient.Image image = registry().pushImage(repo, "ok");
        String[] tags = {"x".repeat(129), ".INVALID", ".dot-first", "-dash-first", "a+b", "a%21b", "caf%C3%A9", "a%20b"};
        for (String tag : tags) {
            // As distribution and zot answer: a reference that can be no tag names no manifest.
            OciClient.Response get = registry().get("/v2/" + repo + "/manifests/" + tag);
            assertOciError(get, 404, "MANIFEST_UNKNOWN");
            assertThat(get.json().get("errors").get(0).get("message").asString()).as(tag).contains("invalid tag");
            assertOciError(registry().head("/v2/" + repo + "/manifests/" + tag), 404, "MANIFEST_UNKNOWN");
            assertOciError(registry().delete("/v2/" + repo + "/manifests/" + tag), 404, "MANIFEST_UNKNOWN");
            assertOciError(registry().putManifest(repo, tag, OciClient.OCI_MANIFEST, image.manifest()), 400, "TAG_INVALID");
        }
        assertThat(registry().get("/v2/" + repo + "/manifests/ok").status()).isEqualTo(200);
    }

    @Test
    void badDigestsAre400DigestInvalidExceptAsAManifestToRead() {
        String repo = uniqueName("baddigests");
        registry().pushImage(repo, "ok");
        String[] digests = {
            "sha256:" + "g".repeat(64),
            "sha256:" + "A".repeat(64),
            "sha256:" + "a".repeat(63),
            "sha256:" + "a".repeat(65),
            "sha256:",
            "md5:d41d8cd98f00b204e9800998ecf8427e",
            "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "sha512:" + "a".repeat(64),
            ":abc",
        };
        for (String digest : digests) {
            assertOciError(registry().get("/v2/" + repo + "/blobs/" + digest), 400, "DIGEST_INVALID");
            assertOciError(registry().head("/v2/" + repo + "/blobs/" + digest), 400, "DIGEST_INVALID");
            assertOciError(registry().delete("/v2/" + repo + "/blobs/" + digest), 400, "DIGEST_INVALID");
            assertOciError(registry().get("/v2/" + repo + "/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
            assertOciError(registry().head("/v2/" + repo + "/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
            assertOciError(registry().delete("/v2/" + repo + "/manifests/" + digest), 404, "MANIFEST_UNKNOWN");
            assertOciError(registry().putManifest(repo, digest, OciClient.OCI_MANIFEST, new byte[] {'{', '}'}), 400, "DIGEST_INVALID");
            assertOciError(registry().get("/v2/" + repo + "/referrers/" + digest), 400, "DIGEST_INVALID");
            assertOciError(registry().post("/v2/" + repo + "/blobs/uploads/?digest=" + digest, new byte[1]), 400, "DIGEST_INVALID");
            assertOciError(registry().post("/v2/" + repo + "/blobs/uploads/?mount=" + digest, null), 400, "DIGEST_INVALID");
        }
    }

    @Test
    void aDigestWithAnEncodedColonIsTheSameDigest() {
        String repo = uniqueName("encodedcolon");
        OciClient.Blob blob = registry().pushBlob(repo, OciClient.randomBytes(10));

        OciClient.Response r = registry().get("/v2/" + repo + "/blobs/" + blob.digest().replace(":", "%3A"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(blob.content());
    }

    @Test
    void unsupportedMethodsAre405WithAllow() {
        String repo = uniqueName("methods");
        OciClient.Response base = registry().post("/v2/", null);
        assertOciError(base, 405, "UNSUPPORTED");
        assertThat(base.header("Allow")).isEqualTo("GET, HEAD");

        OciClient.Response blob = registry().put("/v2/" + repo + "/blobs/" + DIGEST, new byte[0]);
        assertOciError(blob, 405, "UNSUPPORTED");
        assertThat(blob.header("Allow")).isEqualTo("GET, HEAD, DELETE");

        OciClient.Response tags = registry().delete("/v2/" + repo + "/tags/list");
        assertOciError(tags, 405, "UNSUPPORTED");
        assertThat(tags.header("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void unknownEndpointsUnderV2AreOciErrors() {
        for (String path : new String[] {"/v2/a/b/nothing", "/v2/a/blobs", "/v2/_catalogue", "/v2/a/tags/lists", "/v2/a/manifests/"}) {
            OciClient.Response r = registry().get(path);
            assertThat(r.status()).as(path).isBetween(400, 404);
            assertOciError(r, r.status(), r.json().get("errors").get(0).get("code").asString());
        }
    }
}
