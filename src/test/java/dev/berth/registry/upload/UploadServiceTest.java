package dev.berth.registry.upload;

import static dev.berth.registry.upload.UploadBeans.APP;
import static dev.berth.registry.upload.UploadBeans.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chunked upload through the real {@link UploadService}: its session row, its staged file, the
 * blob and link it ends in, and the OCI codes of what it refuses, on an H2 file database and the
 * blob store in one directory.
 */
class UploadServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    @TempDir
    Path dataDir;

    private UploadBeans beans;

    @BeforeEach
    void open() {
        beans = UploadBeans.open(dataDir, new UploadBeans.MovableClock(NOW));
    }

    @AfterEach
    void close() {
        beans.close();
    }

    private long repositoryId() {
        return beans.metadata.blobRecords().repositoryId(APP).orElseThrow();
    }

    private int sessionRows(String id) {
        return beans.metadata.count("upload_sessions", "id = ?", id);
    }

    @Test
    void startingCreatesTheRepositoryASessionRowAndAnEmptyStagedFile() throws Exception {
        String id = beans.uploads.start(APP);

        assertThat(UploadService.isUploadId(id)).isTrue();
        assertThat(beans.metadata.jdbc().queryForMap("SELECT repository_id, received FROM upload_sessions WHERE id = ?", id))
                .containsEntry("REPOSITORY_ID", repositoryId()).containsEntry("RECEIVED", 0L);
        assertThat(beans.staged(id)).isEmptyFile();
        assertThat(beans.uploads.status(APP, id)).isZero();
        assertThat(beans.metadata.count("repository_stats", "repository_id = ?", repositoryId())).isEqualTo(1);
    }

    @Test
    void chunksInOrderAppendAndTheSessionRecordsTheSize() throws Exception {
        String id = beans.uploads.start(APP);

        assertThat(beans.chunk(id, 0, "hello ")).isEqualTo(6);
        assertThat(beans.chunk(id, 6, "world")).isEqualTo(11);

        assertThat(beans.uploads.status(APP, id)).isEqualTo(11);
        assertThat(beans.stagedText(id)).isEqualTo("hello world");
        assertThat(beans.metadata.jdbc().queryForObject("SELECT received FROM upload_sessions WHERE id = ?", Long.class, id))
                .isEqualTo(11);
        assertThat(beans.pushedBytes()).isEqualTo(11.0);
    }

    @Test
    void aChunkThatDoesNotStartWhereTheUploadEndsIsRangeInvalidAndChangesNothing() throws Exception {
        String id = beans.uploads.start(APP);
        beans.chunk(id, 0, "hello");

        for (long start : new long[] {0, 3, 6}) {
            assertThatThrownBy(() -> beans.chunk(id, start, "XYZ"))
                    .isInstanceOfSatisfying(RangeNotSatisfiableException.class, e -> {
                        assertThat(e.code()).isEqualTo(OciErrorCode.RANGE_INVALID);
                        assertThat(e.currentSize()).isEqualTo(5);
                    });
        }
        assertThat(beans.stagedText(id)).isEqualTo("hello");
        assertThat(beans.uploads.status(APP, id)).isEqualTo(5);
        assertThat(beans.chunk(id, 5, "!")).isEqualTo(6);
    }

    @Test
    void aContentLengthThatDisagreesWithTheRangeIsSizeInvalid() throws Exception {
        String id = beans.uploads.start(APP);
        assertThatThrownBy(() -> beans.uploads.append(APP, id, 4, new ContentRange(0, 9)))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.SIZE_INVALID));
        assertThat(beans.staged(id)).isEmptyFile();
    }

    @Test
    void aBodyLongerOrShorterThanAnnouncedIsSizeInvalidAndItsBytesAreTakenBack() throws Exception {
        String id = beans.uploads.start(APP);
        beans.chunk(id, 0, "kept");

        UploadWrite tooLong = beans.uploads.append(APP, id, 3, null);
        tooLong.write("abc".getBytes(StandardCharsets.UTF_8), 0, 3);
        assertThatThrownBy(() -> tooLong.write(new byte[] {'d'}, 0, 1))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.SIZE_INVALID));
        tooLong.abandon("the test gave up");

        UploadWrite tooShort = beans.uploads.append(APP, id, 3, null);
        tooShort.write("ab".getBytes(StandardCharsets.UTF_8), 0, 2);
        assertThatThrownBy(tooShort::finish)
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.SIZE_INVALID));

        assertThat(beans.stagedText(id)).isEqualTo("kept");
        assertThat(beans.uploads.status(APP, id)).isEqualTo(4);
    }

    @Test
    void completingWithTheRightDigestStoresTheBlobLinksItAndEndsTheSession() throws Exception {
        String id = beans.uploads.start(APP);
        beans.chunk(id, 0, "hello ");
        Digest digest = sha256("hello world");

        UploadWrite last = beans.uploads.complete(APP, id, digest, 5, new ContentRange(6, 10));
        last.write("world".getBytes(StandardCharsets.UTF_8), 0, 5);
        assertThat(last.finish()).isEqualTo(11);

        assertThat(beans.blobFile(digest)).hasContent("hello world");
        assertThat(beans.metadata.jdbc().queryForObject("SELECT size_bytes FROM blobs WHERE digest = ?", Long.class,
                digest.toString())).isEqualTo(11);
        assertThat(beans.metadata.count("blob_links", "repository_id = ? AND digest = ?", repositoryId(), digest.toString()))
                .isEqualTo(1);
        assertThat(beans.metadata.jdbc().queryForObject("SELECT size_bytes FROM repository_stats WHERE repository_id = ?",
                Long.class, repositoryId())).isEqualTo(11);
        assertThat(sessionRows(id)).isZero();
        assertThat(beans.staged(id)).doesNotExist();
        assertThatThrownBy(() -> beans.uploads.status(APP, id))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.BLOB_UPLOAD_UNKNOWN));
    }

    @Test
    void aWrongDigestIsDigestInvalidAndLeavesNoBlobNoLinkAndNoSession() throws Exception {
        String id = beans.uploads.start(APP);
        beans.chunk(id, 0, "hello world");
        Digest other = sha256("something else");

        assertThatThrownBy(() -> beans.uploads.complete(APP, id, other, 0, null).finish())
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.DIGEST_INVALID));

        assertNoBlobs();
        assertThat(sessionRows(id)).isZero();
        assertThat(beans.staged(id)).doesNotExist();
        assertThat(beans.blobFile(other)).doesNotExist();
        assertThat(beans.blobFile(sha256("hello world"))).doesNotExist();
    }

    @Test
    void aWholeBlobOfTheWrongSizeIsSizeInvalidAndLeavesNothingStaged() throws Exception {
        Digest digest = sha256("hello");
        UploadWrite write = beans.uploads.putWhole(APP, digest, 5);
        write.write("hell".getBytes(StandardCharsets.UTF_8), 0, 4);
        assertThatThrownBy(write::finish)
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.SIZE_INVALID));

        assertNoBlobs();
        assertThat(dataDir.resolve("uploads")).isEmptyDirectory();
        assertThat(beans.blobFile(digest)).doesNotExist();
    }

    @Test
    void aWholeBlobWithTheRightDigestIsStoredAndLinked() throws Exception {
        Digest digest = sha256("hello");
        UploadWrite write = beans.uploads.putWhole(APP, digest, 5);
        write.write("hello".getBytes(StandardCharsets.UTF_8), 0, 5);
        assertThat(write.finish()).isEqualTo(5);

        assertThat(beans.blobFile(digest)).hasContent("hello");
        assertThat(beans.metadata.count("blob_links", "repository_id = ? AND digest = ?", repositoryId(), digest.toString()))
                .isEqualTo(1);
        assertThat(dataDir.resolve("uploads")).isEmptyDirectory();
    }

    @Test
    void cancellingRemovesTheStagedBytesAndTheSession() throws Exception {
        String id = beans.uploads.start(APP);
        beans.chunk(id, 0, "hello");

        beans.uploads.cancel(APP, id);

        assertThat(beans.staged(id)).doesNotExist();
        assertThat(sessionRows(id)).isZero();
        assertNoBlobs();
        assertThatThrownBy(() -> beans.chunk(id, 5, "more"))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.BLOB_UPLOAD_UNKNOWN));
    }

    @Test
    void anUploadIsUnknownToAnotherRepositoryWhichCannotCancelIt() throws Exception {
        String id = beans.uploads.start(APP);
        beans.chunk(id, 0, "hello");
        RepositoryName other = RepositoryName.of("other");
        beans.uploads.start(other);

        assertThatThrownBy(() -> beans.uploads.cancel(other, id))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.BLOB_UPLOAD_UNKNOWN));
        assertThatThrownBy(() -> beans.uploads.status(other, id))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.BLOB_UPLOAD_UNKNOWN));
        assertThat(beans.stagedText(id)).isEqualTo("hello");
        assertThat(sessionRows(id)).isEqualTo(1);
    }

    @Test
    void anIdThatIsNoUploadIdIsBlobUploadUnknown() {
        for (String id : new String[] {"../../etc/passwd", "", "0f5e9a4c-6b7d-4e8f-9a0b-1c2d3e4f5a6b"}) {
            assertThatThrownBy(() -> beans.uploads.status(APP, id))
                    .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.BLOB_UPLOAD_UNKNOWN));
        }
    }

    private void assertNoBlobs() throws Exception {
        assertThat(beans.metadata.count("blobs", "1 = 1")).isZero();
        assertThat(beans.metadata.count("blob_links", "1 = 1")).isZero();
        try (var files = Files.walk(dataDir.resolve("blobs"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }
}
