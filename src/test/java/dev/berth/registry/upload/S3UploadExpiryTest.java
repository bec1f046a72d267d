package dev.berth.registry.upload;

import static dev.berth.registry.upload.UploadBeans.APP;
import static dev.berth.registry.upload.UploadBeans.EXPIRE_AFTER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.registry.RegistryProperties;
import dev.berth.testing.S3Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * The upload service on an S3 store (s3proxy): an upload nobody finished is purged at its expiry,
 * and with it goes its multipart upload, aborted in the bucket; a finished upload of the same size
 * leaves one object under its digest.
 */
class S3UploadExpiryTest {

    private static final int NINE_MIB = 9 * 1024 * 1024;

    @TempDir
    Path dir;

    private static RegistryProperties.Storage s3(S3Proxy server) {
        return new RegistryProperties.Storage(DataSize.ofBytes(0), RegistryProperties.Storage.Type.S3,
                new RegistryProperties.Storage.S3(server.endpoint(), S3Proxy.REGION, "uploads", "", S3Proxy.ACCESS_KEY,
                        S3Proxy.SECRET_KEY, true, false, null, null));
    }

    private static List<String> multipartUploads(S3Client s3) {
        return s3.listMultipartUploads(r -> r.bucket("uploads")).uploads().stream().map(MultipartUpload::key).toList();
    }

    private static long append(UploadBeans beans, String id, byte[] bytes) throws Exception {
        UploadWrite write = beans.uploads.append(APP, id, bytes.length, new ContentRange(0, bytes.length - 1));
        write.write(bytes, 0, bytes.length);
        return write.finish();
    }

    @Test
    void anExpiredUploadIsPurgedAndItsMultipartUploadAborted() throws Exception {
        byte[] bytes = new byte[NINE_MIB];
        new Random(16).nextBytes(bytes);
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        UploadBeans.MovableClock clock = new UploadBeans.MovableClock(Instant.now());
        try (S3Proxy server = S3Proxy.start(Files.createDirectories(dir.resolve("s3")), "uploads");
                S3Client s3 = server.client();
                UploadBeans beans = UploadBeans.open(dataDir, s3(server), clock)) {
            String stale = beans.uploads.start(APP);
            assertThat(append(beans, stale, bytes)).isEqualTo(NINE_MIB);
            String done = beans.uploads.start(APP);
            append(beans, done, bytes);
            assertThat(multipartUploads(s3)).containsExactlyInAnyOrder("staging/" + stale, "staging/" + done);
            Digest digest = Digest.sha256(bytes);
            beans.uploads.complete(APP, done, digest, 0, null).finish();

            clock.advance(EXPIRE_AFTER.plus(Duration.ofMinutes(1)));
            beans.purger.purge();

            assertThat(multipartUploads(s3)).isEmpty();
            assertThat(beans.metadata.count("upload_sessions", "id = ?", stale)).isZero();
            try (var spooled = Files.list(dataDir.resolve("s3-uploads"))) {
                assertThat(spooled.toList()).isEmpty();
            }
            // s3proxy's file system lists its directories too, as keys ending in a slash.
            assertThat(s3.listObjectsV2(r -> r.bucket("uploads")).contents()).filteredOn(o -> !o.key().endsWith("/")).singleElement()
                    .satisfies(o -> assertThat(o.key()).isEqualTo("blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex()))
                    .satisfies(o -> assertThat(o.size()).isEqualTo(NINE_MIB));
            assertThat(beans.store.open(digest).readAllBytes()).isEqualTo(bytes);
        }
    }

}
