package dev.berth.registry.distribution;

import static dev.berth.registry.distribution.OciClient.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** end-5, end-6, end-13 and end-14: chunks with Content-Range, status, the closing PUT, cancel. */
class ChunkedUploadIT extends OciSpecTest {

    private final String repo = uniqueName("chunked");

    private OciClient.Response chunk(String location, byte[] content, int from, int to) {
        return registry().patch(location, Arrays.copyOfRange(content, from, to + 1),
                "Content-Type", "application/octet-stream", "Content-Range", from + "-" + to);
    }

    @Test
    void chunksInOrderThenAnEmptyClosingPutMakeTheBlob() {
        byte[] content = randomBytes(3000);
        String digest = OciClient.sha256(content);
        String location = registry().startUpload(repo);

        OciClient.Response first = chunk(location, content, 0, 999);
        assertThat(first.status()).isEqualTo(202);
        assertThat(first.header("Range")).isEqualTo("0-999");
        assertThat(first.header("Location")).isEqualTo(location);
        assertThat(first.header("Docker-Upload-UUID")).isEqualTo(uploadId(location));

        OciClient.Response second = chunk(first.header("Location"), content, 1000, 2999);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.header("Range")).isEqualTo("0-2999");

        OciClient.Response closed = registry().put(second.header("Location") + "?digest=" + digest, null);
        assertThat(closed.status()).isEqualTo(201);
        assertThat(closed.header("Location")).isEqualTo("/v2/" + repo + "/blobs/" + digest);
        assertThat(closed.header("Docker-Content-Digest")).isEqualTo(digest);
        assertThat(registry().get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
        assertThat(stagedUploads()).doesNotContain(uploadId(location));
    }

    @Test
    void theClosingPutMayCarryTheLastChunk() {
        byte[] content = randomBytes(2000);
        String digest = OciClient.sha256(content);
        String location = registry().startUpload(repo);
        assertThat(chunk(location, content, 0, 1499).status()).isEqualTo(202);

        OciClient.Response closed = registry().put(location + "?digest=" + digest, Arrays.copyOfRange(content, 1500, 2000),
                "Content-Type", "application/octet-stream", "Content-Range", "1500-1999");

        assertThat(closed.status()).as(closed.text()).isEqualTo(201);
        assertThat(registry().get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void theStatusOfAnUploadIs204WithItsRange() {
        byte[] content = randomBytes(100);
        String location = registry().startUpload(repo);

        OciClient.Response empty = registry().get(location);
        assertThat(empty.status()).isEqualTo(204);
        assertThat(empty.header("Range")).isEqualTo("0-0");
        assertThat(empty.header("Location")).isEqualTo(location);
        assertThat(empty.header("Docker-Upload-UUID")).isEqualTo(uploadId(location));

        chunk(location, content, 0, 49);
        OciClient.Response half = registry().get(location);
        assertThat(half.status()).isEqualTo(204);
        assertThat(half.header("Range")).isEqualTo("0-49");
        assertThat(half.body()).isEmpty();
    }

    @Test
    void aFirstChunkThatDoesNotStartAtZeroIs416() {
        String location = registry().startUpload(repo);

        OciClient.Response r = registry().patch(location, randomBytes(10), "Content-Type", "application/octet-stream",
                "Content-Range", "5-14");

        assertOciError(r, 416, "RANGE_INVALID");
        assertThat(r.header("Range")).isEqualTo("0-0");
        assertThat(r.header("Location")).isEqualTo(location);
    }

    @Test
    void anOutOfOrderChunkIs416WithTheCurrentRangeAndTheUploadCanResume() {
        byte[] content = randomBytes(300);
        String digest = OciClient.sha256(content);
        String location = registry().startUpload(repo);
        chunk(location, content, 0, 99);

        OciClient.Response gap = chunk(location, content, 200, 299);
        assertOciError(gap, 416, "RANGE_INVALID");
        assertThat(gap.header("Range")).isEqualTo("0-99");
        assertThat(gap.header("Location")).isEqualTo(location);

        OciClient.Response overlap = chunk(location, content, 50, 149);
        assertOciError(overlap, 416, "RANGE_INVALID");
        assertThat(overlap.header("Range")).isEqualTo("0-99");

        assertThat(registry().get(location).header("Range")).isEqualTo("0-99");
        assertThat(chunk(location, content, 100, 299).status()).isEqualTo(202);
        assertThat(registry().put(location + "?digest=" + digest, null).status()).isEqualTo(201);
        assertThat(registry().get("/v2/" + repo + "/blobs/" + digest).body()).isEqualTo(content);
    }

    @Test
    void aClosingPutWithAnOutOfOrderLastChunkIs416() {
        byte[] content = randomBytes(100);
        String location = registry().startUpload(repo);
        chunk(location, content, 0, 49);

        OciClient.Response r = registry().put(location + "?digest=" + OciClient.sha256(content),
                Arrays.copyOfRange(content, 60, 100), "Content-Type", "application/octet-stream", "Content-Range", "60-99");

        assertOciError(r, 416, "RANGE_INVALID");
        assertThat(r.header("Range")).isEqualTo("0-49");
    }

    @Test
    void aContentRangeThatDisagreesWithTheBodyIs400AndChangesNothing() {
        String location = registry().startUpload(repo);

        OciClient.Response r = registry().patch(location, randomBytes(50), "Content-Type", "application/octet-stream",
                "Content-Range", "0-99");

        assertOciError(r, 400, "SIZE_INVALID");
        assertThat(registry().get(location).header("Range")).isEqualTo("0-0");
    }

    @Test
    void aMalformedContentRangeIs400() {
        String location = registry().startUpload(repo);
        for (String range : new String[] {"abc", "5-2", "0-", "-5", "bytes=0-9", "0-9/10"}) {
            OciClient.Response r = registry().patch(location, randomBytes(10), "Content-Type", "application/octet-stream",
                    "Content-Range", range);
            assertThat(r.status()).as("Content-Range %s", range).isEqualTo(400);
            assertOciError(r, 400, "BLOB_UPLOAD_INVALID");
        }
        assertThat(registry().get(location).header("Range")).isEqualTo("0-0");
    }

    @Test
    void aDigestMismatchOnTheClosingPutIs400StoresNothingAndEndsTheUpload() {
        byte[] content = randomBytes(500);
        String wrong = OciClient.sha256(randomBytes(500));
        String location = registry().startUpload(repo);
        chunk(location, content, 0, 499);

        OciClient.Response r = registry().put(location + "?digest=" + wrong, null);

        assertOciError(r, 400, "DIGEST_INVALID");
        assertThat(blobFile(wrong)).doesNotExist();
        assertThat(blobFile(OciClient.sha256(content))).doesNotExist();
        assertOciError(registry().get("/v2/" + repo + "/blobs/" + wrong), 404, "BLOB_UNKNOWN");
        assertOciError(registry().get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertThat(stagedUploads()).doesNotContain(uploadId(location));
    }

    @Test
    void deleteCancelsTheUploadAndRemovesItsBytes() {
        byte[] content = randomBytes(100);
        String location = registry().startUpload(repo);
        chunk(location, content, 0, 99);
        assertThat(stagedUploads()).contains(uploadId(location));

        OciClient.Response r = registry().delete(location);

        assertThat(r.status()).isEqualTo(204);
        assertThat(stagedUploads()).doesNotContain(uploadId(location));
        assertOciError(registry().get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertOciError(chunk(location, content, 0, 99), 404, "BLOB_UPLOAD_UNKNOWN");
        assertOciError(registry().put(location + "?digest=" + OciClient.sha256(content), null), 404, "BLOB_UPLOAD_UNKNOWN");
        assertOciError(registry().delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void anUnknownUploadIs404OnEveryMethod() {
        registry().startUpload(repo);
        String location = "/v2/" + repo + "/blobs/uploads/" + java.util.UUID.randomUUID();
        String digest = OciClient.sha256(new byte[1]);

        assertOciError(registry().get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertOciError(registry().patch(location, new byte[1], "Content-Type", "application/octet-stream"), 404, "BLOB_UPLOAD_UNKNOWN");
        assertOciError(registry().put(location + "?digest=" + digest, new byte[1]), 404, "BLOB_UPLOAD_UNKNOWN");
        assertOciError(registry().delete(location), 404, "BLOB_UPLOAD_UNKNOWN");
        assertOciError(registry().get("/v2/" + repo + "/blobs/uploads/not-an-upload-id"), 404, "BLOB_UPLOAD_UNKNOWN");
        assertOciError(registry().get("/v2/" + uniqueName("no-such-repo") + "/blobs/uploads/" + uploadId(location)), 404,
                "BLOB_UPLOAD_UNKNOWN");
    }

    @Test
    void anUploadBelongsToItsRepository() {
        String location = registry().startUpload(repo);
        String other = uniqueName("chunked-other");
        registry().startUpload(other);

        assertOciError(registry().get("/v2/" + other + "/blobs/uploads/" + uploadId(location)), 404, "BLOB_UPLOAD_UNKNOWN");
        assertThat(registry().get(location).status()).isEqualTo(204);
    }

    @Test
    void theUploadsResourceOnlyTakesPost() {
        OciClient.Response r = registry().get("/v2/" + repo + "/blobs/uploads/");

        assertOciError(r, 405, "UNSUPPORTED");
        assertThat(r.header("Allow")).isEqualTo("POST");
    }
}
