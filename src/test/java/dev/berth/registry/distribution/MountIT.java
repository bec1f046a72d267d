package dev.berth.registry.distribution;

import static dev.berth.registry.distribution.OciClient.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** end-11: cross-repository mounts, and the upload session offered when a mount cannot happen. */
class MountIT extends OciSpecTest {

    private final String source = uniqueName("mount-src");
    private final String target = uniqueName("mount-dst");

    @Test
    void aBlobIsMountedFromARepositoryThatHasIt() {
        OciClient.Blob blob = registry().pushBlob(source, randomBytes(500));

        OciClient.Response r = registry().post("/v2/" + target + "/blobs/uploads/?mount=" + blob.digest() + "&from=" + source, null);

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Location")).isEqualTo("/v2/" + target + "/blobs/" + blob.digest());
        assertThat(r.header("Docker-Content-Digest")).isEqualTo(blob.digest());
        OciClient.Response pulled = registry().get("/v2/" + target + "/blobs/" + blob.digest());
        assertThat(pulled.status()).isEqualTo(200);
        assertThat(pulled.body()).isEqualTo(blob.content());
    }

    @Test
    void aBlobIsMountedByDigestAloneWhenTheRegistryHasIt() {
        OciClient.Blob blob = registry().pushBlob(source, randomBytes(500));

        OciClient.Response r = registry().post("/v2/" + target + "/blobs/uploads/?mount=" + blob.digest(), null);

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Location")).isEqualTo("/v2/" + target + "/blobs/" + blob.digest());
        assertThat(r.header("Docker-Content-Digest")).isEqualTo(blob.digest());
        assertThat(registry().get("/v2/" + target + "/blobs/" + blob.digest()).body()).isEqualTo(blob.content());
    }

    @Test
    void mountingAnUnknownBlobStartsAnUploadInstead() {
        byte[] content = randomBytes(300);
        String digest = OciClient.sha256(content);

        OciClient.Response r = registry().post("/v2/" + target + "/blobs/uploads/?mount=" + digest + "&from=" + source, null);

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.header("Location")).startsWith("/v2/" + target + "/blobs/uploads/");
        assertThat(r.header("Docker-Upload-UUID")).isEqualTo(uploadId(r.header("Location")));
        assertThat(r.header("Range")).isEqualTo("0-0");
        assertOciError(registry().get("/v2/" + target + "/blobs/" + digest), 404, "BLOB_UNKNOWN");
        OciClient.Response put = registry().put(r.header("Location") + "?digest=" + digest, content);
        assertThat(put.status()).isEqualTo(201);
        assertThat(registry().get("/v2/" + target + "/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void aBlobIsNotMountedFromARepositoryThatDoesNotHaveIt() {
        OciClient.Blob blob = registry().pushBlob(uniqueName("mount-elsewhere"), randomBytes(200));
        registry().pushBlob(source, randomBytes(10));

        OciClient.Response r = registry().post("/v2/" + target + "/blobs/uploads/?mount=" + blob.digest() + "&from=" + source, null);

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.header("Location")).startsWith("/v2/" + target + "/blobs/uploads/");
        assertOciError(registry().get("/v2/" + target + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
    }

    @Test
    void aBlobDeletedFromItsRepositoryCanNoLongerBeMountedFromIt() {
        OciClient.Blob blob = registry().pushBlob(source, randomBytes(200));
        registry().delete("/v2/" + source + "/blobs/" + blob.digest());

        OciClient.Response r = registry().post("/v2/" + target + "/blobs/uploads/?mount=" + blob.digest() + "&from=" + source, null);

        assertThat(r.status()).isEqualTo(202);
    }

    @Test
    void aMalformedMountDigestOrSourceIs400() {
        assertOciError(registry().post("/v2/" + target + "/blobs/uploads/?mount=sha256:1234&from=" + source, null), 400, "DIGEST_INVALID");
        OciClient.Blob blob = registry().pushBlob(source, randomBytes(20));
        assertOciError(registry().post("/v2/" + target + "/blobs/uploads/?mount=" + blob.digest() + "&from=Bad..Name", null), 400,
                "NAME_INVALID");
    }
}
