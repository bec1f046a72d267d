package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.S3Proxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code berth serve} with {@code berth.storage.type=s3} against a real S3 server (s3proxy, its own
 * JVM): chunked pushes whose chunks do not line up with the 8 MiB parts, a monolithic push, pulls
 * whole and by range through Berth, a cancelled upload whose multipart upload is aborted, and a
 * second server with {@code redirect: true} whose blob GETs answer 307 to a presigned URL; skopeo
 * pushes and pulls an image through both.
 */
@DatabaseNeutral
class S3StorageIT {

    private static final String BUCKET = "registry";
    private static final long MIB = 1024 * 1024;

    private static S3Proxy s3proxy;
    private static BerthProcess berth;
    private static BerthProcess redirecting;
    private static RegistryHttp registry;
    private static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "s3proxy-");
        s3proxy = S3Proxy.start(dir, BUCKET);
        berth = BerthProcess.start("s3", s3Options("streamed/", false));
        redirecting = BerthProcess.start("s3-redirect", s3Options("redirected/", true));
        registry = new RegistryHttp(berth);
        s3 = s3proxy.client();
    }

    private static String[] s3Options(String prefix, boolean redirect) {
        return new String[] {"-Xmx256m",
                "-Dberth.storage.type=s3",
                "-Dberth.storage.s3.endpoint=" + s3proxy.endpoint(),
                "-Dberth.storage.s3.bucket=" + BUCKET,
                "-Dberth.storage.s3.prefix=" + prefix,
                "-Dberth.storage.s3.access-key=" + S3Proxy.ACCESS_KEY,
                "-Dberth.storage.s3.secret-key=" + S3Proxy.SECRET_KEY,
                "-Dberth.storage.s3.path-style-access=true",
                "-Dberth.storage.s3.redirect=" + redirect};
    }

    @AfterAll
    static void stop() throws IOException {
        for (BerthProcess server : new BerthProcess[] {berth, redirecting}) {
            if (server != null) {
                server.close();
            }
        }
        if (s3 != null) {
            s3.close();
        }
        if (s3proxy != null) {
            Path dir = s3proxy.bucketDir(BUCKET).getParent().getParent();
            s3proxy.close();
            TestFiles.deleteRecursively(dir);
        }
    }

    private static byte[] random(long size, long seed) {
        byte[] bytes = new byte[(int) size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream().map(S3Object::key).toList();
    }

    private static List<String> multipartUploads(String prefix) {
        return s3.listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix)).uploads().stream().map(MultipartUpload::key).toList();
    }

    private static void assertNothingStaged(BerthProcess server, String prefix) throws IOException {
        assertThat(keys(prefix + "staging/")).isEmpty();
        assertThat(multipartUploads(prefix)).isEmpty();
        try (var files = Files.list(server.dataDir().resolve("s3-uploads"))) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void skopeoCopiesAnImageInAndBackOutThroughBothServersTheRedirectingOneToo() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "s3-skopeo-");
        try {
            Skopeo skopeo = Skopeo.require(work);
            TestImage image = TestImages.ociLayout(work.resolve("source"), "s3 skopeo " + work.getFileName(), "v1");
            for (BerthProcess server : List.of(berth, redirecting)) {
                String reference = "docker://" + server.hostPort() + "/s3/skopeo:v1";
                assertThat(skopeo.copy(image.ociReference(), reference, "--dest-tls-verify=false")).isEqualTo(image.manifestDigest());

                Path copy = work.resolve("copy-" + server.port());
                // From the redirecting server, skopeo follows each blob's 307 to s3proxy.
                assertThat(skopeo.copy(reference, "oci:" + copy + ":v1", "--src-tls-verify=false")).isEqualTo(image.manifestDigest());
                assertThat(SkopeoIT.verifiedBlobs(copy.resolve("blobs/sha256"))).as("every blob pulled back hashes to its name")
                        .containsAll(image.blobDigests());
            }
        } finally {
            TestFiles.deleteRecursively(work);
        }
    }

    @Test
    void aChunkedPushGoesToTheBucketAndIsPulledWholeAndByRange() throws Exception {
        String repository = "s3/chunked";
        byte[] blob = random(20 * MIB + 12_345, 1);
        String digest = TestFiles.digest(blob);
        URI location = registry.startUpload(repository);
        // 7 MiB chunks: each crosses or falls short of an 8 MiB part differently.
        for (int offset = 0; offset < blob.length; offset += 7 * MIB) {
            int length = (int) Math.min(7 * MIB, blob.length - offset);
            HttpResponse<String> patched = registry.patch(location, new java.io.ByteArrayInputStream(blob, offset, length), offset, length);
            RegistryHttp.expect(patched, 202);
            location = RegistryHttp.location(patched);
        }
        assertThat(multipartUploads("streamed/")).containsExactly("streamed/staging/" + RegistryHttp.uploadId(location));

        RegistryHttp.expect(registry.finish(location, digest), 201);

        HttpResponse<String> head = registry.headBlob(repository, digest);
        RegistryHttp.expect(head, 200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(blob.length);
        RegistryHttp.Pulled pulled = registry.pull(repository, digest);
        assertThat(pulled.status()).as(pulled.error()).isEqualTo(200);
        assertThat(pulled.digest()).isEqualTo(digest);
        RegistryHttp.Pulled range = registry.pullRange(repository, digest, 8 * MIB - 100, 8 * MIB + 99);
        assertThat(range.status()).as(range.error()).isEqualTo(206);
        assertThat(range.digest()).isEqualTo(TestFiles.digest(Arrays.copyOfRange(blob, (int) (8 * MIB - 100), (int) (8 * MIB + 100))));
        assertThat(keys("streamed/blobs/")).contains("streamed/blobs/sha256/" + TestFiles.hex(digest).substring(0, 2) + "/" + TestFiles.hex(digest));
        assertThat(s3proxy.bucketDir(BUCKET).resolve("streamed/blobs/sha256/" + TestFiles.hex(digest).substring(0, 2) + "/"
                + TestFiles.hex(digest))).hasBinaryContent(blob);
        assertNothingStaged(berth, "streamed/");
    }

    @Test
    void aMonolithicPushAndAWrongDigestLeaveOnlyTheRightBlob() throws Exception {
        String repository = "s3/monolithic";
        byte[] blob = random(11 * MIB + 7, 2);
        String digest = TestFiles.digest(blob);
        String wrong = TestFiles.digest("something else".getBytes());

        HttpResponse<String> refused = registry.pushWhole(repository, wrong, () -> new java.io.ByteArrayInputStream(blob), blob.length);
        RegistryHttp.expect(refused, 400);
        assertThat(refused.body()).contains("DIGEST_INVALID");
        RegistryHttp.expect(registry.pushWhole(repository, digest, () -> new java.io.ByteArrayInputStream(blob), blob.length), 201);

        RegistryHttp.Pulled pulled = registry.pull(repository, digest);
        assertThat(pulled.digest()).isEqualTo(digest);
        assertThat(keys("streamed/blobs/")).noneMatch(key -> key.endsWith(TestFiles.hex(wrong)));
        assertNothingStaged(berth, "streamed/");
    }

    @Test
    void aCancelledUploadAbortsItsMultipartUpload() throws Exception {
        URI location = registry.startUpload("s3/cancelled");
        byte[] chunk = random(9 * MIB, 3);
        HttpResponse<String> patched = registry.patch(location, new java.io.ByteArrayInputStream(chunk), 0, chunk.length);
        RegistryHttp.expect(patched, 202);
        assertThat(multipartUploads("streamed/")).contains("streamed/staging/" + RegistryHttp.uploadId(location));

        HttpResponse<Void> cancelled = HttpClient.newHttpClient().send(HttpRequest.newBuilder(RegistryHttp.location(patched)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());

        assertThat(cancelled.statusCode()).isEqualTo(204);
        assertThat(multipartUploads("streamed/")).doesNotContain("streamed/staging/" + RegistryHttp.uploadId(location));
    }

    @Test
    void withRedirectABlobGetAnswers307ToAPresignedUrlThatServesRangesToo() throws Exception {
        String repository = "s3/redirected";
        byte[] blob = random(3 * MIB + 5, 4);
        String digest = TestFiles.digest(blob);
        RegistryHttp redirected = new RegistryHttp(redirecting);
        RegistryHttp.expect(redirected.pushWhole(repository, digest, () -> new java.io.ByteArrayInputStream(blob), blob.length), 201);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI blobUrl = redirecting.uri("/v2/" + repository + "/blobs/" + digest);

        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(blobUrl).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(answer.statusCode()).isEqualTo(307);
        URI presigned = URI.create(answer.headers().firstValue("Location").orElseThrow());
        assertThat(presigned.getAuthority()).isEqualTo(s3proxy.endpoint().getAuthority());
        assertThat(presigned.getQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=300");
        // HEAD is answered by Berth itself.
        RegistryHttp.expect(redirected.headBlob(repository, digest), 200);

        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<byte[]> whole = following.send(HttpRequest.newBuilder(blobUrl).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(TestFiles.digest(whole.body())).isEqualTo(digest);
        HttpResponse<byte[]> range = following.send(HttpRequest.newBuilder(blobUrl).header("Range", "bytes=100-199").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(blob, 100, 200));
    }
}
