package dev.berth.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContentStore} must do, as containerd's content test suite and distribution's
 * storage-driver suite are for theirs: each implementation (and each configuration of one) runs
 * it by extending this class (FileContentStoreTest, RegistryBlobStoreTest, s3.S3ContentStoreTest).
 */
public abstract class ContentStoreContract {

    protected static final byte[] HELLO = "hello, berth".getBytes(StandardCharsets.UTF_8);

    protected ContentStore store;

    /** A new, empty store, for one test. */
    protected abstract ContentStore newStore() throws IOException;

    /** The same storage opened again, as a restarted process opens it. */
    protected abstract ContentStore reopen() throws IOException;

    /** Fails unless the store's staging holds nothing at all, not even what its listing leaves out. */
    protected abstract void assertNothingStaged() throws IOException;

    /** Fails unless the store keeps exactly one copy of the blob's bytes. */
    protected abstract void assertOneCopy(Digest digest) throws IOException;

    @BeforeEach
    void openStore() throws IOException {
        store = newStore();
    }

    @Test
    void committedContentIsReadByDigestAndNothingStaysStaged() throws Exception {
        Digest digest = Digest.sha256(HELLO);

        try (ContentWriter w = store.writer(digest, HELLO.length)) {
            w.write(HELLO, 0, 5);
            assertThat(store.contains(digest)).isFalse();
            w.write(HELLO, 5, HELLO.length - 5);
            assertThat(store.find(digest)).isEmpty();
            w.commit();
        }

        StoredBlob blob = store.find(digest).orElseThrow();
        assertThat(blob.digest()).isEqualTo(digest);
        assertThat(blob.size()).isEqualTo(HELLO.length);
        assertThat(readAll(blob.stream())).isEqualTo(HELLO);
        assertThat(readAll(store.open(digest))).isEqualTo(HELLO);
        assertThat(store.read(digest, 100)).isEqualTo(HELLO);
        assertThat(store.contains(digest)).isTrue();
        assertThat(listed()).containsExactly(digest);
        assertNothingStaged();
    }

    @Test
    void stagedBytesAreHashedAcrossWritesAndCommittedUnderTheirDigest() throws Exception {
        byte[] content = random(3 * 1024 * 1024 + 17, 1);
        Digest digest = Digest.sha256(content);
        StagingName name = StagingName.random();

        try (StagedBlob staged = store.stage(name)) {
            staged.write(content, 0, 1000);
        }
        assertThat(store.stagedSize(name)).contains(1000L);
        try (StagedBlob staged = store.resume(name).orElseThrow()) {
            assertThat(staged.size()).isEqualTo(1000);
            staged.write(content, 1000, content.length - 1000);
            assertThat(store.contains(digest)).isFalse();
            assertThat(staged.commit(digest)).isEqualTo(content.length);
        }

        assertThat(readAll(store.open(digest))).isEqualTo(content);
        assertThat(store.stagedSize(name)).isEmpty();
        assertThat(store.resume(name)).isEmpty();
        assertNothingStaged();
    }

    @Test
    void stagedBytesResumeAfterARestart() throws Exception {
        byte[] content = random(2 * 1024 * 1024, 2);
        Digest digest = Digest.sha256(content);
        StagingName name = StagingName.random();
        try (StagedBlob staged = store.stage(name)) {
            staged.write(content, 0, 1024 * 1024);
        }

        ContentStore restarted = reopen();
        try (StagedBlob staged = restarted.resume(name).orElseThrow()) {
            assertThat(staged.size()).isEqualTo(1024 * 1024);
            staged.write(content, 1024 * 1024, content.length - 1024 * 1024);
            assertThat(staged.commit(digest, content.length)).isEqualTo(content.length);
        }

        assertThat(readAll(restarted.open(digest))).isEqualTo(content);
        assertThat(readAll(store.open(digest))).isEqualTo(content);
        assertNothingStaged();
    }

    @Test
    void aRolledBackAppendIsForgotten() throws Exception {
        byte[] first = random(70_000, 3);
        byte[] second = random(50_000, 4);
        Digest digest = Digest.sha256(concat(first, second));
        StagingName name = StagingName.random();

        try (StagedBlob staged = store.stage(name)) {
            staged.write(first, 0, first.length);
            staged.write(random(123_456, 5), 0, 123_456);
            staged.rollBack(first.length);
            assertThat(staged.size()).isEqualTo(first.length);
            assertThat(store.stagedSize(name)).contains((long) first.length);
            staged.write(second, 0, second.length);
            staged.commit(digest);
        }

        assertThat(readAll(store.open(digest))).isEqualTo(concat(first, second));
    }

    @Test
    void contentWithTheWrongDigestLeavesNothing() throws Exception {
        Digest claimed = Digest.sha256("something else".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> {
            try (ContentWriter w = store.writer(claimed, HELLO.length)) {
                w.write(HELLO);
                w.commit();
            }
        }).isInstanceOf(OciException.class)
                .satisfies(e -> assertThat(((OciException) e).code()).isEqualTo(OciErrorCode.DIGEST_INVALID));
        StagingName name = StagingName.random();
        try (StagedBlob staged = store.stage(name)) {
            staged.write(HELLO, 0, HELLO.length);
            assertCode(() -> staged.commit(claimed), OciErrorCode.DIGEST_INVALID);
        }

        assertThat(store.contains(claimed)).isFalse();
        assertThat(store.contains(Digest.sha256(HELLO))).isFalse();
        assertThat(listed()).isEmpty();
        assertThat(store.stagedSize(name)).isEmpty();
        assertNothingStaged();
    }

    @Test
    void tooManyOrTooFewBytesAreRefusedAndLeaveNothing() throws Exception {
        Digest digest = Digest.sha256(HELLO);

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
        StagingName name = StagingName.random();
        try (StagedBlob staged = store.stage(name)) {
            staged.write(HELLO, 0, HELLO.length);
            assertCode(() -> staged.commit(digest, HELLO.length - 1), OciErrorCode.SIZE_INVALID);
        }

        assertThat(store.contains(digest)).isFalse();
        assertThat(store.stagedSize(name)).isEmpty();
        assertNothingStaged();
    }

    @Test
    void aWriterVerifiedByItsCallerStillChecksTheSizeAndDropsWhatIsNotCommitted() throws Exception {
        Digest digest = Digest.sha256(HELLO);

        try (ContentWriter w = store.writerVerifiedByCaller(digest, HELLO.length)) {
            w.write(HELLO, 0, HELLO.length);
            assertThatThrownBy(() -> w.write(HELLO, 0, 1)).isInstanceOf(OciException.class)
                    .satisfies(e -> assertThat(((OciException) e).code()).isEqualTo(OciErrorCode.SIZE_INVALID));
        }
        try (ContentWriter w = store.writerVerifiedByCaller(digest, HELLO.length)) {
            w.write(HELLO, 0, 5);
            assertThatThrownBy(w::commit).isInstanceOf(OciException.class);
        }

        assertThat(store.contains(digest)).isFalse();
        assertNothingStaged();
        try (ContentWriter w = store.writerVerifiedByCaller(digest, HELLO.length)) {
            w.write(HELLO);
            w.commit();
        }
        assertThat(store.read(digest, 100)).isEqualTo(HELLO);
    }

    @Test
    void anAbandonedWriteLeavesNothing() throws Exception {
        Digest digest = Digest.sha256(HELLO);
        try (ContentWriter w = store.writer(digest, HELLO.length)) {
            w.write(HELLO);
        }

        assertThat(store.contains(digest)).isFalse();
        assertThat(reopen().contains(digest)).isFalse();
        assertNothingStaged();
    }

    @Test
    void writingContentTwiceKeepsOneCopyAndDeleteRemovesIt() throws Exception {
        Digest digest = Digest.sha256(HELLO);
        store.put(digest, HELLO);
        try (ContentWriter w = store.writer(digest, HELLO.length)) {
            w.write(HELLO);
            w.commit();
        }
        try (StagedBlob staged = store.stage(StagingName.random())) {
            staged.write(HELLO, 0, HELLO.length);
            assertThat(staged.commit(digest)).isEqualTo(HELLO.length);
        }

        assertThat(listed()).containsExactly(digest);
        assertOneCopy(digest);
        assertNothingStaged();
        assertThat(store.delete(digest)).isTrue();
        assertThat(store.contains(digest)).isFalse();
        assertThat(store.delete(digest)).isFalse();
        assertCode(() -> store.open(digest), OciErrorCode.BLOB_UNKNOWN);
    }

    @Test
    void concurrentCommitsOfTheSameDigestAllSucceedAndLeaveOneCopy() throws Exception {
        byte[] content = random(1024 * 1024, 6);
        Digest digest = Digest.sha256(content);
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 5; round++) {
                CyclicBarrier together = new CyclicBarrier(writers);
                List<Future<Long>> commits = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    commits.add(pool.submit(() -> {
                        try (StagedBlob staged = store.stage(StagingName.random())) {
                            staged.write(content, 0, content.length);
                            together.await(30, TimeUnit.SECONDS);
                            return staged.commit(digest);
                        }
                    }));
                }
                for (Future<Long> commit : commits) {
                    assertThat(commit.get(60, TimeUnit.SECONDS)).isEqualTo(content.length);
                }

                assertThat(listed()).containsExactly(digest);
                assertOneCopy(digest);
                assertThat(readAll(store.open(digest))).isEqualTo(content);
                assertNothingStaged();
                assertThat(store.delete(digest)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBlobIsNeverVisibleBeforeItIsComplete() throws Exception {
        byte[] content = random(16 * 1024 * 1024, 7);
        Digest digest = Digest.sha256(content);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger sightings = new AtomicInteger();
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            Future<?> watching = reader.submit(() -> {
                while (!done.get()) {
                    java.util.Optional<StoredBlob> found = store.find(digest);
                    if (found.isPresent()) {
                        // Whenever it can be found at all, it is all there.
                        assertThat(found.get().size()).isEqualTo(content.length);
                        assertThat(sha256(found.get().stream())).isEqualTo(digest);
                        sightings.incrementAndGet();
                    }
                }
                return null;
            });
            try (StagedBlob staged = store.stage(StagingName.random())) {
                for (int offset = 0; offset < content.length; offset += 64 * 1024) {
                    staged.write(content, offset, 64 * 1024);
                    assertThat(store.contains(digest)).isFalse();
                }
                staged.commit(digest);
            }
            assertThat(store.contains(digest)).isTrue();
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sightings.get() == 0 && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            done.set(true);
            watching.get(60, TimeUnit.SECONDS);
            assertThat(sightings.get()).as("the reader saw the committed blob").isPositive();
        } finally {
            done.set(true);
            reader.shutdownNow();
        }
    }

    @Test
    void readsFromAnOffsetAndToTheEnd() throws Exception {
        byte[] content = random(300_000, 8);
        Digest digest = Digest.sha256(content);
        store.put(digest, content);
        StoredBlob blob = store.find(digest).orElseThrow();

        assertThat(readAll(blob.stream(0, content.length))).isEqualTo(content);
        assertThat(readAll(blob.stream(1000, 5000))).isEqualTo(Arrays.copyOfRange(content, 1000, 6000));
        assertThat(readAll(blob.stream(123_457, content.length - 123_457)))
                .isEqualTo(Arrays.copyOfRange(content, 123_457, content.length));
        assertThat(readAll(blob.stream(content.length - 1, 1))).containsExactly(content[content.length - 1]);
        assertThat(readAll(blob.stream(content.length, 0))).isEmpty();
        assertThat(readAll(blob.stream(0, 0))).isEmpty();
        for (long[] outside : new long[][] {{-1, 10}, {0, content.length + 1L}, {content.length + 1L, 0}, {10, -1},
                {content.length - 5L, 6}, {Long.MAX_VALUE, 1}, {1, Long.MAX_VALUE}}) {
            assertThatThrownBy(() -> blob.stream(outside[0], outside[1]).close())
                    .as("bytes %d+%d", outside[0], outside[1]).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aMissingBlobIsUnknownEverywhere() throws Exception {
        Digest missing = Digest.sha256("never stored".getBytes(StandardCharsets.UTF_8));

        assertThat(store.find(missing)).isEmpty();
        assertThat(store.contains(missing)).isFalse();
        assertCode(() -> store.open(missing), OciErrorCode.BLOB_UNKNOWN);
        assertCode(() -> store.read(missing, 100), OciErrorCode.BLOB_UNKNOWN);
        assertThat(store.delete(missing)).isFalse();
        assertThat(listed()).isEmpty();
        StagingName unknown = StagingName.random();
        assertThat(store.resume(unknown)).isEmpty();
        assertThat(store.stagedSize(unknown)).isEmpty();
        store.discard(unknown);
    }

    @Test
    void leftoversInStagingAreIgnoredAndCleanable() throws Exception {
        StagingName left = StagingName.random();
        try (StagedBlob staged = store.stage(left)) {
            staged.write(HELLO, 0, HELLO.length); // and then the process died
        }
        Instant later = Instant.now().plus(Duration.ofMinutes(1));

        ContentStore restarted = reopen();
        assertThat(restarted.contains(Digest.sha256(HELLO))).isFalse();
        assertThat(listed(restarted)).isEmpty();
        assertThat(restarted.stagedUntouchedSince(Instant.now().minus(Duration.ofHours(1)))).isEmpty();
        assertThat(restarted.stagedUntouchedSince(later)).containsExactly(left);
        for (StagingName name : restarted.stagedUntouchedSince(later)) {
            restarted.discard(name);
        }

        assertThat(restarted.stagedUntouchedSince(later)).isEmpty();
        assertThat(restarted.stagedSize(left)).isEmpty();
        assertThat(restarted.resume(left)).isEmpty();
        assertNothingStaged();
    }

    @Test
    void stagingRefusesANameInUse() throws Exception {
        StagingName name = StagingName.random();
        try (StagedBlob staged = store.stage(name)) {
            staged.write(HELLO, 0, HELLO.length);
            assertThatThrownBy(() -> store.stage(name).close()).isInstanceOf(IOException.class);
            assertThat(store.stagedSize(name)).contains((long) HELLO.length);
            staged.commit(Digest.sha256(HELLO));
        }
        assertThat(store.read(Digest.sha256(HELLO), 100)).isEqualTo(HELLO);
    }

    @Test
    void stagingNamesCannotEscape() {
        for (String hostile : new String[] {"", ".", "..", "../x", "../../etc/passwd", "a/b", "/abs", "a\\b", "a\0b",
                "-leading-dash", ".hidden", "UPPER", "a.b", "a b", "a\nb", "x".repeat(129)}) {
            assertThatThrownBy(() -> StagingName.of(hostile)).as(hostile).isInstanceOf(IllegalArgumentException.class);
            assertThat(StagingName.isValid(hostile)).as(hostile).isFalse();
        }
        assertThatThrownBy(() -> StagingName.of(null)).isInstanceOf(IllegalArgumentException.class);
        for (String fine : new String[] {"0f5e9a4c-6b7d-4e8f-9a0b-1c2d3e4f5a6b", "upload-1", "a", "x".repeat(128)}) {
            assertThat(StagingName.of(fine).value()).isEqualTo(fine);
        }
    }

    @Test
    void aDigestWithAPathInItIsRefusedByTheDigestType() {
        String hex = "a".repeat(64);
        for (String hostile : new String[] {"sha256:../../../etc/passwd", "sha256:" + hex + "/../x", "sha256:../" + hex.substring(3),
                "sha256/../" + hex, "../sha256:" + hex, "sha256:" + hex.toUpperCase(), "sha256:" + hex + "\0",
                "sha256:" + hex.substring(0, 62) + "/.", "sha1:" + "a".repeat(40), "sha256:" + hex + "a"}) {
            assertThatThrownBy(() -> Digest.of(hostile)).as(hostile).isInstanceOf(OciException.class)
                    .satisfies(e -> assertThat(((OciException) e).code()).isEqualTo(OciErrorCode.DIGEST_INVALID));
        }
    }

    @Test
    void sha512ContentIsVerifiedToo() throws Exception {
        byte[] content = random(200_000, 9);
        Digest digest = sha512(content);

        try (ContentWriter w = store.writer(digest, content.length)) {
            w.write(content);
            w.commit();
        }
        Digest other = sha512(random(10, 10));
        StagingName name = StagingName.random();
        try (StagedBlob staged = store.stage(name)) {
            staged.write(content, 0, content.length);
            assertCode(() -> staged.commit(other), OciErrorCode.DIGEST_INVALID);
        }
        try (StagedBlob staged = store.stage(StagingName.random())) {
            staged.write(content, 0, content.length);
            assertThat(staged.commit(digest)).isEqualTo(content.length);
        }

        assertThat(readAll(store.open(digest))).isEqualTo(content);
        assertThat(store.contains(other)).isFalse();
        assertThat(listed()).containsExactly(digest);
        assertNothingStaged();
    }

    @Test
    void aSmallBlobIsReadWholeAndALargerOneRefused() throws Exception {
        Digest digest = Digest.sha256(HELLO);
        store.put(digest, HELLO);

        assertThat(store.read(digest, HELLO.length)).isEqualTo(HELLO);
        assertCode(() -> store.read(digest, HELLO.length - 1), OciErrorCode.MANIFEST_TOO_LARGE);
    }

    @Test
    void anEmptyBlobIsABlob() throws Exception {
        Digest empty = Digest.sha256(new byte[0]);
        try (StagedBlob staged = store.stage(StagingName.random())) {
            assertThat(staged.commit(empty, 0)).isZero();
        }

        assertThat(store.find(empty).orElseThrow().size()).isZero();
        assertThat(readAll(store.open(empty))).isEmpty();
    }

    @Test
    void aWorkingStorePassesItsProbe() throws Exception {
        store.probe();
        assertThat(store.location()).isNotBlank();
        assertNothingStaged();
    }

    protected List<Digest> listed() throws IOException {
        return listed(store);
    }

    protected static List<Digest> listed(ContentStore store) throws IOException {
        try (Stream<Digest> digests = store.list()) {
            return digests.toList();
        }
    }

    protected static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    protected static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static Digest sha256(InputStream in) throws IOException {
        MessageDigest md = Digest.Algorithm.SHA256.newMessageDigest();
        try (in) {
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return Digest.fromHash(Digest.Algorithm.SHA256, md.digest());
    }

    private static Digest sha512(byte[] content) {
        return Digest.fromHash(Digest.Algorithm.SHA512, Digest.Algorithm.SHA512.newMessageDigest().digest(content));
    }

    protected static void assertCode(ThrowingCallable call, OciErrorCode code) {
        assertThatThrownBy(call).isInstanceOf(OciException.class)
                .satisfies(e -> assertThat(((OciException) e).code()).as(e.getMessage()).isEqualTo(code));
    }
}
