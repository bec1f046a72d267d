package dev.berth.registry.distribution;

import static dev.berth.registry.distribution.OciClient.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** end-2 and end-10: pulling blobs whole and by range, checking them with HEAD, deleting them. */
class BlobPullIT extends OciSpecTest {

    private final String repo = uniqueName("blobpull");

    @Test
    void getServesTheExactBytesWithLengthDigestAndEtag() {
        byte[] content = randomBytes(3000);
        OciClient.Blob blob = registry().pushBlob(repo, content);

        OciClient.Response r = registry().get("/v2/" + repo + "/blobs/" + blob.digest());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(content);
        assertThat(r.header("Content-Length")).isEqualTo("3000");
        assertThat(r.header("Docker-Content-Digest")).isEqualTo(blob.digest());
        assertThat(r.header("ETag")).isEqualTo("\"" + blob.digest() + "\"");
    }

    @Test
    void headAnswersTheSameHeadersWithoutABody() {
        OciClient.Blob blob = registry().pushBlob(repo, randomBytes(1234));

        OciClient.Response r = registry().head("/v2/" + repo + "/blobs/" + blob.digest());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Content-Length")).isEqualTo("1234");
        assertThat(r.header("Docker-Content-Digest")).isEqualTo(blob.digest());
        assertThat(r.header("ETag")).isEqualTo("\"" + blob.digest() + "\"");
    }

    @Test
    void aLargeBlobIsServedWholeAndByRange() {
        byte[] content = randomBytes(1_500_000);
        OciClient.Blob blob = registry().pushBlob(repo, content);

        OciClient.Response whole = registry().get("/v2/" + repo + "/blobs/" + blob.digest());
        OciClient.Response part = registry().get("/v2/" + repo + "/blobs/" + blob.digest(), "Range", "bytes=100000-1399999");

        assertThat(whole.status()).isEqualTo(200);
        assertThat(OciClient.sha256(whole.body())).isEqualTo(blob.digest());
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.header("Content-Range")).isEqualTo("bytes 100000-1399999/1500000");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(content, 100_000, 1_400_000));
    }

    @Test
    void aClosedRangeAnswers206WithContentRange() {
        byte[] content = OciClient.utf8("0123456789");
        OciClient.Blob blob = registry().pushBlob(repo, content);

        OciClient.Response r = registry().get("/v2/" + repo + "/blobs/" + blob.digest(), "Range", "bytes=2-5");

        assertThat(r.status()).isEqualTo(206);
        assertThat(r.text()).isEqualTo("2345");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 2-5/10");
        assertThat(r.header("Content-Length")).isEqualTo("4");
        assertThat(r.header("Docker-Content-Digest")).isEqualTo(blob.digest());
    }

    @Test
    void anOpenRangeRunsToTheEnd() {
        OciClient.Blob blob = registry().pushBlob(repo, OciClient.utf8("abcdefghij-open"));

        OciClient.Response r = registry().get("/v2/" + repo + "/blobs/" + blob.digest(), "Range", "bytes=7-");

        assertThat(r.status()).isEqualTo(206);
        assertThat(r.text()).isEqualTo("hij-open");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 7-14/15");
    }

    @Test
    void aSuffixRangeServesTheLastBytes() {
        OciClient.Blob blob = registry().pushBlob(repo, OciClient.utf8("abcdefghij-suffix"));

        OciClient.Response r = registry().get("/v2/" + repo + "/blobs/" + blob.digest(), "Range", "bytes=-3");

        assertThat(r.status()).isEqualTo(206);
        assertThat(r.text()).isEqualTo("fix");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 14-16/17");
    }

    @Test
    void aRangeEndingPastTheBlobIsCutToIt() {
        OciClient.Blob blob = registry().pushBlob(repo, OciClient.utf8("short-blob"));

        OciClient.Response r = registry().get("/v2/" + repo + "/blobs/" + blob.digest(), "Range", "bytes=6-100");

        assertThat(r.status()).isEqualTo(206);
        assertThat(r.text()).isEqualTo("blob");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 6-9/10");
    }

    @Test
    void anUnsatisfiableRangeIs416WithTheSize() {
        OciClient.Blob blob = registry().pushBlob(repo, OciClient.utf8("ten bytes!"));

        OciClient.Response r = registry().get("/v2/" + repo + "/blobs/" + blob.digest(), "Range", "bytes=10-20");

        assertOciError(r, 416, "RANGE_INVALID");
        assertThat(r.header("Content-Range")).isEqualTo("bytes */10");
        assertThat(r.header("Cache-Control")).as("an error must not be cached as the blob is").isNull();
        assertThat(r.header("ETag")).isNull();
    }

    @Test
    void anUnknownBlobIs404BlobUnknown() {
        String digest = OciClient.sha256(randomBytes(16));

        assertOciError(registry().get("/v2/" + repo + "/blobs/" + digest), 404, "BLOB_UNKNOWN");
        OciClient.Response head = registry().head("/v2/" + repo + "/blobs/" + digest);
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aBlobPushedToOneRepositoryIsNotServedFromAnother() {
        OciClient.Blob blob = registry().pushBlob(repo, randomBytes(100));
        String other = uniqueName("blobpull-other");
        registry().pushBlob(other, randomBytes(10));

        assertOciError(registry().get("/v2/" + other + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
        assertThat(registry().head("/v2/" + other + "/blobs/" + blob.digest()).status()).isEqualTo(404);
        assertOciError(registry().get("/v2/" + uniqueName("never-pushed") + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
    }

    @Test
    void deleteAnswers202AndTheBlobIsGone() {
        OciClient.Blob blob = registry().pushBlob(repo, randomBytes(200));

        OciClient.Response deleted = registry().delete("/v2/" + repo + "/blobs/" + blob.digest());

        assertThat(deleted.status()).isEqualTo(202);
        assertOciError(registry().get("/v2/" + repo + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
        assertOciError(registry().delete("/v2/" + repo + "/blobs/" + blob.digest()), 404, "BLOB_UNKNOWN");
    }

    @Test
    void deletingFromOneRepositoryLeavesTheBlobInAnother() {
        OciClient.Blob blob = registry().pushBlob(repo, randomBytes(300));
        String other = uniqueName("blobpull-mounted");
        assertThat(registry().post("/v2/" + other + "/blobs/uploads/?mount=" + blob.digest() + "&from=" + repo, null).status())
                .isEqualTo(201);

        assertThat(registry().delete("/v2/" + repo + "/blobs/" + blob.digest()).status()).isEqualTo(202);

        assertThat(registry().get("/v2/" + repo + "/blobs/" + blob.digest()).status()).isEqualTo(404);
        OciClient.Response stillThere = registry().get("/v2/" + other + "/blobs/" + blob.digest());
        assertThat(stillThere.status()).isEqualTo(200);
        assertThat(stillThere.body()).isEqualTo(blob.content());
    }

    @Test
    void deletingAnUnknownBlobIs404() {
        assertOciError(registry().delete("/v2/" + repo + "/blobs/" + OciClient.sha256(randomBytes(8))), 404, "BLOB_UNKNOWN");
    }

    @Test
    void anEmptyBlobIsServedAsZeroBytes() {
        OciClient.Blob blob = registry().pushBlob(repo, new byte[0]);

        OciClient.Response r = registry().get("/v2/" + repo + "/blobs/" + blob.digest());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Content-Length")).isEqualTo("0");
        assertThat(r.header("Docker-Content-Digest")).isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
