package dev.berth.runtime.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {

    @TempDir
    Path root;

    private static final byte[] HELLO = "hello, berth".getBytes(StandardCharsets.UTF_8);

    private ContentStore store() {
        return new ContentStore(root);
    }

    @Test
    void committedContentLivesUnderItsDigestAndTheIngestIsEmpty() throws Exception {
        Digest digest = Digest.sha256(HELLO);
        ContentStore store = store();

        try (ContentWriter w = store.writer(digest, HELLO.length)) {
            w.write(HELLO, 0, 5);
            assertThat(store.has(digest)).isFalse();
            w.write(HELLO, 5, HELLO.length - 5);
            w.commit();
        }

        assertThat(store.path(digest)).isEqualTo(root.resolve("blobs/sha256/" + digest.hex()));
        assertThat(Files.readAllBytes(store.path(digest))).isEqualTo(HELLO);
        assertThat(store.read(digest, 100)).isEqualTo(HELLO);
        assertThat(store.list()).containsExactly(digest);
        assertThat(root.resolve("ingest")).isEmptyDirectory();
    }

    @Test
    void aWriterVerifiedByItsCallerStillChecksTheSizeAndDropsWhatIsNotCommitted() throws Exception {
        Digest digest = Digest.sha256(HELLO);
        ContentStore store = store();

        try (ContentWriter w = store.writerVerifiedByCaller(digest, HELLO.length)) {
            w.write(HELLO, 0, HELLO.length);
            assertThatThrownBy(() -> w.write(HELLO, 0, 1)).isInstanceOf(OciException.class)
                    .satisfies(e -> assertThat(((OciException) e).code()).isEqualTo(OciErrorCode.SIZE_INVALID));
        }
        try (ContentWriter w = store.writerVerifiedByCaller(digest, HELLO.length)) {
            w.write(HELLO, 0, 5);
            assertThatThrownBy(w::commit).isInstanceOf(OciException.class);
        }

        assertThat(store.has(digest)).isFalse();
        assertThat(root.resolve("ingest")).isEmptyDirectory();
    }

    @Test
    void contentWithTheWrongDigestIsNotKept() throws Exception {
        Digest claimed = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));
        ContentStore store = store();

        assertThatThrownBy(() -> {
            try (ContentWriter w = store.writer(claimed, HELLO.length)) {
                w.write(HELLO);
                w.commit();
            }
        }).isInstanceOf(OciException.class)
                .satisfies(e -> assertThat(((OciException) e).code()).isEqualTo(OciErrorCode.DIGEST_INVALID));

        assertThat(store.has(claimed)).isFalse();
        assertThat(store.list()).isEmpty();
        assertThat(root.resolve("ingest")).isEmptyDirectory();
    }

    @Test
    void tooManyOrTooFewBytesAreRefused() throws Exception {
        Digest digest = Digest.sha256(HELLO);
        ContentStore store = store();

        assertThatThrownBy(() -> {
            try (ContentWriter w = store.writer(digest, 3)) {
                w.write(HELLO);
            }
        }).hasMessageContaining("larger than the 3 bytes");
        assertThatThrownBy(() -> {
            try (ContentWriter w = store.writer(digest, HELLO.length + 1)) {
                w.write(HELLO);
                w.commit();
            }
        }).hasMessageContaining("expected " + (HELLO.length + 1));

        assertThat(store.has(digest)).isFalse();
        assertThat(root.resolve("ingest")).isEmptyDirectory();
    }

    @Test
    void anAbandonedWriteLeavesNothing() throws Exception {
        Digest digest = Digest.sha256(HELLO);
        try (ContentWriter w = store().writer(digest, HELLO.length)) {
            w.write(HELLO);
        }

        assertThat(store().has(digest)).isFalse();
        assertThat(root.resolve("ingest")).isEmptyDirectory();
    }

    @Test
    void writingContentTwiceKeepsOneCopyAndDeleteRemovesIt() throws Exception {
        Digest digest = Digest.sha256(HELLO);
        store().put(digest, HELLO);
        try (ContentWriter w = store().writer(digest, HELLO.length)) {
            w.write(HELLO);
            w.commit();
        }

        assertThat(store().list()).containsExactly(digest);
        store().delete(digest);
        assertThat(store().has(digest)).isFalse();
        assertThatThrownBy(() -> store().open(digest)).hasMessageContaining("not in the local store");
    }
}
