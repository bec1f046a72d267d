package dev.berth.content.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.content.ContentStore;
import dev.berth.content.ContentStoreContract;
import dev.berth.content.SpaceGuard;
import dev.berth.content.StagedBlob;
import dev.berth.content.StagingName;
import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.testing.S3Proxy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The contract against a real S3 server (s3proxy in its own JVM), with parts of S3's smallest size
 * (5 MiB) so that the contract's larger blobs go up as multipart uploads; then what only an object
 * store does: parts, aborts, rolling back over a part, verifying by reading back after a restart.
 */
class S3ContentStoreTest extends ContentStoreContract {

    static final String BUCKET = "berth";
    private static final long PART = S3Settings.MIN_PART_SIZE;
    private static final AtomicInteger STORES = new AtomicInteger();

    @TempDir
    static Path serverDir;
    static S3Proxy server;

    @TempDir
    Path spool;
    private S3Settings settings;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3Proxy.start(serverDir, BUCKET);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    static S3Settings settings(String prefix) {
        return new S3Settings(server.endpoint(), S3Proxy.REGION, BUCKET, prefix, S3Proxy.ACCESS_KEY, S3Proxy.SECRET_KEY,
                true, false, Duration.ofMinutes(5), PART);
    }

    @Override
    protected ContentStore newStore() {
        // Each test its own prefix in the one bucket: nothing of another test is seen.
        settings = settings("test-" + STORES.incrementAndGet() + "/");
        return new S3ContentStore(settings, spool, SpaceGuard.NONE);
    }

    @Override
    protected ContentStore reopen() {
        return new S3ContentStore(settings, spool, SpaceGuard.NONE);
    }

    @Override
    protected void assertNothingStaged() throws IOException {
        assertThat(spool).isEmptyDirectory();
        assertThat(keys("staging/")).isEmpty();
        assertThat(multipartUploads()).isEmpty();
    }

    @Override
    protected void assertOneCopy(Digest digest) {
        assertThat(keys("")).filteredOn(key -> key.contains(digest.hex()))
                .containsExactly(settings.prefix() + "blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex());
    }

    private S3Client s3() {
        return ((S3ContentStore) store).s3();
    }

    private List<String> keys(String under) {
        return s3().listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(settings.prefix() + under)).contents().stream()
                .map(S3Object::key).toList();
    }

    private List<String> multipartUploads() {
        return s3().listMultipartUploads(r -> r.bucket(BUCKET).prefix(settings.prefix())).uploads().stream()
                .map(MultipartUpload::key).toList();
    }

    private long spoolBytes() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.mapToLong(file -> file.toFile().length()).sum();
        }
    }

    @Test
    void aLargeUploadGoesUpInPartsAndTheSpoolHoldsAboutTwoOfThem() throws Exception {
        byte[] content = random((int) (4 * PART + 123_457), 20);
        Digest digest = Digest.sha256(content);
        StagingName name = StagingName.random();
        long mostSpooled = 0;
        try (StagedBlob staged = store.stage(name)) {
            for (int offset = 0; offset < content.length; offset += 1024 * 1024) {
                staged.write(content, offset, Math.min(1024 * 1024, content.length - offset));
                mostSpooled = Math.max(mostSpooled, spoolBytes());
            }
            assertThat(multipartUploads()).containsExactly(settings.prefix() + "staging/" + name);
            assertThat(store.stagedSize(name)).contains((long) content.length);
            assertThat(store.contains(digest)).isFalse();
            staged.commit(digest, content.length);
        }

        // The part kept for a roll-back, and the tail.
        assertThat(mostSpooled).isLessThanOrEqualTo(2 * PART);
        assertThat(readAll(store.open(digest))).isEqualTo(content);
        assertThat(readAll(store.find(digest).orElseThrow().stream(PART - 10, 20)))
                .isEqualTo(Arrays.copyOfRange(content, (int) PART - 10, (int) PART + 10));
        assertNothingStaged();
    }

    @Test
    void discardingAnUploadAbortsItsMultipartUpload() throws Exception {
        StagingName name = StagingName.random();
        try (StagedBlob staged = store.stage(name)) {
            staged.write(random((int) (2 * PART + 10), 21), 0, (int) (2 * PART + 10));
        }
        assertThat(multipartUploads()).hasSize(1);

        // As the purge of expired uploads does it, after a restart.
        ContentStore restarted = reopen();
        List<StagingName> stale = restarted.stagedUntouchedSince(Instant.now().plusSeconds(60));
        assertThat(stale).containsExactly(name);
        restarted.discard(name);

        assertThat(multipartUploads()).isEmpty();
        assertNothingStaged();
    }

    @Test
    void anAppendRolledBackOverAPartBoundaryIsForgotten() throws Exception {
        byte[] first = random((int) (PART + 3_000_000), 22);
        byte[] failed = random((int) (2 * PART), 23);
        byte[] second = random((int) PART, 24);
        byte[] whole = new byte[first.length + second.length];
        System.arraycopy(first, 0, whole, 0, first.length);
        System.arraycopy(second, 0, whole, first.length, second.length);
        StagingName name = StagingName.random();
        try (StagedBlob staged = store.stage(name)) {
            staged.write(first, 0, first.length);
        }

        try (StagedBlob staged = store.resume(name).orElseThrow()) {
            staged.write(failed, 0, failed.length);
            staged.rollBack(first.length);
            assertThat(store.stagedSize(name)).contains((long) first.length);
            staged.write(second, 0, second.length);
            staged.commit(Digest.sha256(whole), whole.length);
        }

        assertThat(readAll(store.open(Digest.sha256(whole)))).isEqualTo(whole);
        assertNothingStaged();
    }

    @Test
    void afterARestartTheCommitReadsTheBytesBackToCheckThem() throws Exception {
        byte[] content = random((int) (2 * PART + 777), 25);
        StagingName good = StagingName.random();
        StagingName bad = StagingName.random();
        for (StagingName name : List.of(good, bad)) {
            try (StagedBlob staged = store.stage(name)) {
                staged.write(content, 0, (int) PART + 5);
            }
        }

        ContentStore restarted = reopen();
        Digest wrong = Digest.sha256("not these bytes".getBytes());
        try (StagedBlob staged = restarted.resume(bad).orElseThrow()) {
            staged.write(content, (int) PART + 5, content.length - (int) PART - 5);
            assertCode(() -> staged.commit(wrong), OciErrorCode.DIGEST_INVALID);
        }
        assertThat(restarted.contains(wrong)).isFalse();
        assertThat(keys("staging/")).isEmpty();
        try (StagedBlob staged = restarted.resume(good).orElseThrow()) {
            staged.write(content, (int) PART + 5, content.length - (int) PART - 5);
            assertThat(staged.commit(Digest.sha256(content))).isEqualTo(content.length);
        }

        assertThat(readAll(store.open(Digest.sha256(content)))).isEqualTo(content);
        assertNothingStaged();
    }

    @Test
    void withRedirectsABlobHasAPresignedUrlThatServesItAndItsRanges() throws Exception {
        byte[] content = random(300_000, 26);
        Digest digest = Digest.sha256(content);
        store.put(digest, content);
        assertThat(store.find(digest).orElseThrow().redirect()).isEmpty();

        S3Settings redirecting = new S3Settings(server.endpoint(), S3Proxy.REGION, BUCKET, settings.prefix(), S3Proxy.ACCESS_KEY,
                S3Proxy.SECRET_KEY, true, true, Duration.ofMinutes(1), PART);
        URI url = new S3ContentStore(redirecting, spool, SpaceGuard.NONE).find(digest).orElseThrow().redirect().orElseThrow();

        HttpClient http = HttpClient.newHttpClient();
        assertThat(url.getQuery()).contains("X-Amz-Expires=60");
        HttpResponse<byte[]> whole = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(content);
        HttpResponse<byte[]> range = http.send(HttpRequest.newBuilder(url).header("Range", "bytes=1000-1999").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(content, 1000, 2000));
        // The signature is checked: a changed URL is refused.
        URI tampered = URI.create(url.toString().replace(digest.hex(), Digest.sha256(HELLO).hex()));
        assertThat(http.send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);
    }

    @Test
    void aCommitTriedAgainAfterItCompletedTheMultipartUploadFinishesIt() throws Exception {
        byte[] content = random((int) (2 * PART + 99), 27);
        Digest digest = Digest.sha256(content);
        StagingName name = StagingName.random();
        try (StagedBlob staged = store.stage(name)) {
            staged.write(content, 0, content.length);
        }
        // What a commit leaves when it stops after completing (the server-side copy failed, say).
        PartsRecord record = PartsRecord.read(spool.resolve(name + ".parts"));
        String staging = settings.prefix() + "staging/" + name;
        String last = s3().uploadPart(r -> r.bucket(BUCKET).key(staging).uploadId(record.uploadId()).partNumber(3),
                software.amazon.awssdk.core.sync.RequestBody.fromFile(spool.resolve(name.value()))).eTag();
        List<software.amazon.awssdk.services.s3.model.CompletedPart> parts = List.of(
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(1).eTag(record.etags().get(0)).build(),
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(2).eTag(record.etags().get(1)).build(),
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(3).eTag(last).build());
        s3().completeMultipartUpload(r -> r.bucket(BUCKET).key(staging).uploadId(record.uploadId()).multipartUpload(m -> m.parts(parts)));

        try (StagedBlob staged = reopen().resume(name).orElseThrow()) {
            assertThat(staged.commit(digest, content.length)).isEqualTo(content.length);
        }

        assertThat(readAll(store.open(digest))).isEqualTo(content);
        assertNothingStaged();
    }

    @Test
    void aMissingBlobSaysItIsNotInTheBucket() {
        assertThatThrownBy(() -> store.open(Digest.sha256(HELLO))).hasMessageContaining("not in the bucket s3://" + BUCKET);
    }
}
