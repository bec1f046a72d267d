package dev.berth.registry.upload;

import static dev.berth.registry.upload.UploadBeans.APP;
import static dev.berth.registry.upload.UploadBeans.EXPIRE_AFTER;
import static dev.berth.registry.upload.UploadBeans.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.content.StagingName;
import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * What outlives one request or one process: an upload resumed after a restart, the free-space
 * reserve that refuses bytes, and the purge of uploads nobody finished.
 */
class UploadLifetimeTest {

    private static final Instant START = Instant.parse("2026-12-07T03:00:00Z");

    @TempDir
    Path dataDir;

    private final UploadBeans.MovableClock clock = new UploadBeans.MovableClock(START);

    @Test
    void aNewServiceOnTheSameDatabaseAndDirectoryResumesTheUploadAndItsHash() throws Exception {
        String id;
        try (UploadBeans before = UploadBeans.open(dataDir, clock)) {
            id = before.uploads.start(APP);
            before.chunk(id, 0, "hello ");
        }
        Digest digest = sha256("hello world");
        try (UploadBeans after = UploadBeans.open(dataDir, clock)) {
            assertThat(after.uploads.status(APP, id)).isEqualTo(6);
            assertThatThrownBy(() -> after.chunk(id, 0, "again"))
                    .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.RANGE_INVALID));
            after.chunk(id, 6, "world");
            assertThat(after.uploads.complete(APP, id, digest, 0, null).finish()).isEqualTo(11);

            assertThat(after.blobFile(digest)).hasContent("hello world");
            assertThat(after.metadata.count("blob_links", "digest = ?", digest.toString())).isEqualTo(1);
            assertThat(after.metadata.count("upload_sessions", "id = ?", id)).isZero();
        }
    }

    @Test
    void aResumedUploadWithTheWrongDigestIsStillRefused() throws Exception {
        // The hash rebuilt after the restart must cover the bytes before it: were they skipped, "world" would pass.
        String id;
        try (UploadBeans before = UploadBeans.open(dataDir, clock)) {
            id = before.uploads.start(APP);
            before.chunk(id, 0, "hello ");
        }
        try (UploadBeans after = UploadBeans.open(dataDir, clock)) {
            after.chunk(id, 6, "world");
            assertThatThrownBy(() -> after.uploads.complete(APP, id, sha256("world"), 0, null).finish())
                    .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.DIGEST_INVALID));
            assertThat(after.metadata.count("blobs", "1 = 1")).isZero();
        }
    }

    @Test
    void bytesThatWouldEatIntoTheReserveAreInsufficientStorageAndTheUploadStaysResumable() throws Exception {
        String id;
        try (UploadBeans roomy = UploadBeans.open(dataDir, DataSize.ofBytes(1), clock)) {
            id = roomy.uploads.start(APP);
            roomy.chunk(id, 0, "hello");
        }
        // More than the file system holds: no byte fits.
        DataSize reserve = DataSize.ofBytes(Files.getFileStore(dataDir).getTotalSpace());
        try (UploadBeans full = UploadBeans.open(dataDir, reserve, clock)) {
            assertThatThrownBy(() -> full.chunk(id, 5, " world"))
                    .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.INSUFFICIENT_STORAGE));
            assertThatThrownBy(() -> full.uploads.putWhole(APP, sha256("x"), 1))
                    .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.INSUFFICIENT_STORAGE));

            assertThat(full.uploads.status(APP, id)).isEqualTo(5);
            assertThat(full.stagedText(id)).isEqualTo("hello");
            try (var staged = Files.list(dataDir.resolve("uploads"))) {
                assertThat(staged).containsExactly(full.staged(id));
            }
            assertThat(full.metadata.count("blobs", "1 = 1")).isZero();
        }
        try (UploadBeans freed = UploadBeans.open(dataDir, DataSize.ofBytes(1), clock)) {
            assertThat(freed.chunk(id, 5, " world")).isEqualTo(11);
        }
    }

    @Test
    void anUploadUntouchedForTheExpiryIsPurgedAndAFreshOneIsKept() throws Exception {
        try (UploadBeans beans = UploadBeans.open(dataDir, clock)) {
            String stale = beans.uploads.start(APP);
            beans.chunk(stale, 0, "old bytes");
            clock.advance(EXPIRE_AFTER.plusMinutes(1));
            String fresh = beans.uploads.start(APP);
            beans.chunk(fresh, 0, "new bytes");

            beans.purger.purge();

            assertThat(beans.staged(stale)).doesNotExist();
            assertThat(beans.metadata.count("upload_sessions", "id = ?", stale)).isZero();
            assertThatThrownBy(() -> beans.uploads.status(APP, stale))
                    .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.BLOB_UPLOAD_UNKNOWN));
            assertThat(beans.stagedText(fresh)).isEqualTo("new bytes");
            assertThat(beans.metadata.count("upload_sessions", "id = ?", fresh)).isEqualTo(1);
        }
    }

    @Test
    void aChunkKeepsTheUploadAliveAndTheExpiryCountsFromIt() throws Exception {
        try (UploadBeans beans = UploadBeans.open(dataDir, clock)) {
            String id = beans.uploads.start(APP);
            clock.advance(EXPIRE_AFTER.minusMinutes(1));
            beans.chunk(id, 0, "still here");
            clock.advance(Duration.ofMinutes(2));

            assertThat(beans.purger.purgeOlderThan(clock.instant().minus(EXPIRE_AFTER))).isZero();
            assertThat(beans.stagedText(id)).isEqualTo("still here");

            clock.advance(EXPIRE_AFTER);
            assertThat(beans.purger.purgeOlderThan(clock.instant().minus(EXPIRE_AFTER))).isEqualTo(1);
            assertThat(beans.staged(id)).doesNotExist();
        }
    }

    @Test
    void anOldStagedFileWithoutASessionIsRemovedAndOneWithASessionIsNot() throws Exception {
        // Files are dated by the file system, so this test's clock is the real one.
        try (UploadBeans beans = UploadBeans.open(dataDir, new UploadBeans.MovableClock(Instant.now()))) {
            String orphan = UUID.randomUUID().toString();
            beans.store.stage(StagingName.of(orphan)).close();
            String owned = beans.uploads.start(APP);
            FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
            Files.setLastModifiedTime(beans.staged(orphan), old);
            Files.setLastModifiedTime(beans.staged(owned), old);

            // The session's own row is fresh by the service's clock; the files are old by the file system's.
            assertThat(beans.purger.purgeOlderThan(Instant.now().minus(Duration.ofDays(1)))).isEqualTo(1);

            assertThat(beans.staged(orphan)).doesNotExist();
            assertThat(beans.staged(owned)).exists();
        }
    }
}
