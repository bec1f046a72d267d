package dev.berth.registry.distribution;

import static dev.berth.registry.distribution.OciClient.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** end-4a, end-4b and end-6: POST then PUT with the whole blob, or a single POST with the digest. */
class MonolithicUploadIT extends OciSpecTest {

    private final String repo = uniqueName("monolithic");

    @Test
    void postStartsAnUploadWithLocationRangeAndUuid() {
        OciClient.Response r = registry().post("/v2/" + repo + "/blobs/uploads/", null);

        assertThat(r.status()).isEqualTo(202);
        String uuid = r.header("Docker-Upload-UUID");
        assertThat(uuid).matches("[0-9a-f-]{36}");
        assertThat(r.header("Location")).isEqualTo("/v2/" + repo + "/blobs/uploads/" + uuid);
        assertThat(r.header("Range")).isEqualTo("0-0");
        assertThat(r.header("Content-Length")).isEqualTo("0");
        assertThat(r.header("OCI-Chunk-Min-Length")).as("no minimum unless configured").isNull();
    }

    @Test
    void eachUploadGetsItsOwnSession() {
        String first = registry().startUpload(repo);
        String second = registry().startUpload(repo);

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void putWithTheWholeBlobCreatesIt() {
        byte[] content = randomBytes(5000);
        String digest = OciClient.sha256(content);
        String location = registry().startUpload(repo);

        OciClient.Response r = registry().put(location + "?digest=" + digest, content, "Content-Type", "application/octet-stream");

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Location")).isEqualTo("/v2/" + repo + "/blobs/" + digest);
        assertThat(r.header("Docker-Content-Digest")).isEqualTo(digest);
        OciClient.Response pulled = registry().get(r.header("Location"));
        assertThat(pulled.status()).isEqualTo(200);
        assertThat(pulled.body()).isEqualTo(content);
        assertThat(Files.isRegularFile(blobFile(digest))).isTrue();
        assertThat(stagedUploads()).doesNotContain(uploadId(location));
        assertOciError(registry().get(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void aSinglePostWithTheDigestCreatesTheBlob() {
        byte[] content = randomBytes(777);
        String digest = OciClient.sha256(content);

        OciClient.Response r = registry().post("/v2/" + repo + "/blobs/uploads/?digest=" + digest, content,
                "Content-Type", "application/octet-stream");

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Location")).isEqualTo("/v2/" + repo + "/blobs/" + digest);
        assertThat(r.header("Docker-Content-Digest")).isEqualTo(digest);
        assertThat(registry().get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void aBlobBodyIsNeverReadAsFormParameters() {
        byte[] content = OciClient.utf8("a=b&digest=sha256:0&mount=x");
        String digest = OciClient.sha256(content);

        OciClient.Response single = registry().post("/v2/" + repo + "/blobs/uploads/?digest=" + digest, content,
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(single.status()).as(single.text()).isEqualTo(201);

        byte[] other = OciClient.utf8("c=d");
        String location = registry().startUpload(repo);
        OciClient.Response put = registry().put(location + "?digest=" + OciClient.sha256(other), other,
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(put.status()).as(put.text()).isEqualTo(201);
        assertThat(registry().get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void aSha512DigestIsAccepted() {
        byte[] content = randomBytes(333);
        String digest = OciClient.sha512(content);

        OciClient.Response r = registry().post("/v2/" + repo + "/blobs/uploads/?digest=" + digest, content,
                "Content-Type", "application/octet-stream");

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        OciClient.Response pulled = registry().get("/v2/" + repo + "/blobs/" + digest);
        assertThat(pulled.body()).isEqualTo(content);
        assertThat(pulled.header("Docker-Content-Digest")).isEqualTo(digest);
    }

    @Test
    void pushingTheSameBlobAgainIsFine() {
        byte[] content = randomBytes(400);
        registry().pushBlob(repo, content);

        OciClient.Blob again = registry().pushBlob(repo, content);

        assertThat(registry().get("/v2/" + repo + "/blobs/" + again.digest()).body()).isEqualTo(content);
    }

    @Test
    void aDigestMismatchOnPutIs400AndStoresNothing() {
        byte[] content = randomBytes(600);
        String claimed = OciClient.sha256(randomBytes(600));
        String location = registry().startUpload(repo);

        OciClient.Response r = registry().put(location + "?digest=" + claimed, content, "Content-Type", "application/octet-stream");

        assertOciError(r, 400, "DIGEST_INVALID");
        assertOciError(registry().get("/v2/" + repo + "/blobs/" + claimed), 404, "BLOB_UNKNOWN");
        assertOciError(registry().get("/v2/" + repo + "/blobs/" + OciClient.sha256(content)), 404, "BLOB_UNKNOWN");
        assertThat(blobFile(claimed)).doesNotExist();
        assertThat(blobFile(OciClient.sha256(content))).doesNotExist();
        assertThat(stagedUploads()).doesNotContain(uploadId(location));
    }

    @Test
    void aDigestMismatchOnASinglePostIs400AndStoresNothing() {
        byte[] content = randomBytes(600);
        String claimed = OciClient.sha256(randomBytes(600));

        OciClient.Response r = registry().post("/v2/" + repo + "/blobs/uploads/?digest=" + claimed, content,
                "Content-Type", "application/octet-stream");

        assertOciError(r, 400, "DIGEST_INVALID");
        assertThat(blobFile(claimed)).doesNotExist();
        assertThat(blobFile(OciClient.sha256(content))).doesNotExist();
    }

    @Test
    void aClosingPutWithoutDigestIs400() {
        String location = registry().startUpload(repo);

        assertOciError(registry().put(location, randomBytes(10)), 400, "DIGEST_INVALID");
    }

    @Test
    void aClosingPutWithAMalformedDigestIs400() {
        String location = registry().startUpload(repo);

        assertOciError(registry().put(location + "?digest=sha256:xyz", randomBytes(10)), 400, "DIGEST_INVALID");
        assertOciError(registry().post("/v2/" + repo + "/blobs/uploads/?digest=md5:d41d8cd98f00b204e9800998ecf8427e",
                randomBytes(10)), 400, "DIGEST_INVALID");
    }

    @Test
    void aBodyShorterThanItsContentLengthIsACleanError() {
        byte[] content = randomBytes(100);
        String digest = OciClient.sha256(content);
        String head = "POST /v2/" + repo + "/blobs/uploads/?digest=" + digest + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: 200\r\nConnection: close\r\n\r\n";

        RawHttp.Answer answer = RawHttp.exchange(port, head, content, true);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertErrorBody(answer.body(), "SIZE_INVALID");
        assertThat(blobFile(digest)).doesNotExist();
    }

    @Test
    void aChunkedTransferEncodedPutIsStreamedIn() {
        byte[] content = randomBytes(300_000);
        String digest = OciClient.sha256(content);
        String location = registry().startUpload(repo);

        OciClient.Response r = registry().send("PUT", location + "?digest=" + digest,
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(content)),
                "Content-Type", "application/octet-stream");

        assertThat(r.status()).as(r.text()).isEqualTo(201);
        assertThat(registry().get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
    }
}
