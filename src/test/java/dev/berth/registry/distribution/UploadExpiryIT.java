package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Upload settings that need a server of their own: a minimum chunk length, and uploads that
 * expire after three seconds. The context is closed afterwards so its purger stops before the
 * other tests, which share the data directory, run again.
 */
@TestPropertySource(properties = {
    "berth.uploads.min-chunk-length=1KB",
    "berth.uploads.expire-after=3s",
    "berth.uploads.purge-interval=300ms",
})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class UploadExpiryIT extends OciSpecTest {

    private final String repo = uniqueName("expiry");

    private static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for: %s", what).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void postAnnouncesTheMinimumChunkLength() {
        OciClient.Response r = registry().post("/v2/" + repo + "/blobs/uploads/", null);

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.header("OCI-Chunk-Min-Length")).isEqualTo("1024");
    }

    @Test
    void anUntouchedUploadExpiresAndItsBytesAreRemoved() throws Exception {
        String location = registry().startUpload(repo);
        registry().patch(location, OciClient.randomBytes(100), "Content-Type", "application/octet-stream");
        Path staged = DATA_DIR.resolve("uploads").resolve(uploadId(location));
        assertThat(staged).exists();

        eventually(() -> registry().get(location).status() == 404, "the upload to expire");

        assertOciError(registry().get(location), 404, "BLOB_UPLOAD_UNKNOWN");
        eventually(() -> !Files.exists(staged), "the staged file to be removed");
    }

    @Test
    void anUploadThatKeepsReceivingChunksDoesNotExpire() throws Exception {
        byte[] content = OciClient.randomBytes(5 * 1024);
        String location = registry().startUpload(repo);
        for (int i = 0; i < 5; i++) {
            OciClient.Response r = registry().patch(location, java.util.Arrays.copyOfRange(content, i * 1024, (i + 1) * 1024),
                    "Content-Type", "application/octet-stream", "Content-Range", (i * 1024) + "-" + ((i + 1) * 1024 - 1));
            assertThat(r.status()).as("chunk %d: %s", i, r.text()).isEqualTo(202);
            Thread.sleep(1000);
        }

        OciClient.Response done = registry().put(location + "?digest=" + OciClient.sha256(content), null);

        assertThat(done.status()).as(done.text()).isEqualTo(201);
    }

    @Test
    void anOrphanStagedFileIsRemoved() throws Exception {
        Path orphan = Files.writeString(DATA_DIR.resolve("uploads").resolve(UUID.randomUUID().toString()), "left by a crash");
        Files.setLastModifiedTime(orphan, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        eventually(() -> !Files.exists(orphan), "the orphan staged file to be removed");
    }
}
