package dev.berth.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract for the file store as the runtime opens it ({@code new FileContentStore(root)}), and its layout. */
class FileContentStoreTest extends ContentStoreContract {

    @TempDir
    Path root;

    @Override
    protected ContentStore newStore() {
        return new FileContentStore(root);
    }

    @Override
    protected ContentStore reopen() {
        return new FileContentStore(root);
    }

    @Override
    protected void assertNothingStaged() {
        assertThat(root.resolve("ingest")).isEmptyDirectory();
    }

    @Override
    protected void assertOneCopy(Digest digest) throws IOException {
        assertThat(filesNamed(root, digest.hex())).containsExactly(root.resolve("blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex()));
    }

    static Stream<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList().stream();
        }
    }

    static java.util.List<Path> filesNamed(Path dir, String name) throws IOException {
        return filesUnder(dir).filter(p -> p.getFileName().toString().contains(name)).toList();
    }

    @Test
    void aBlobIsAFileUnderItsDigestInTwoLevels() throws Exception {
        Digest digest = Digest.sha256(HELLO);
        store.put(digest, HELLO);

        Path file = root.resolve("blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex());
        assertThat(file).hasBinaryContent(HELLO);
        assertThat(store.find(digest).orElseThrow().file()).contains(file);
        assertThat(filesUnder(root)).containsExactly(file);
    }

    @Test
    void aMissingBlobSaysItIsNotInTheLocalStore() {
        Digest digest = Digest.sha256(HELLO);
        assertThatThrownBy(() -> store.open(digest)).hasMessageContaining("not in the local store");
    }

    @Test
    void filesTheStoreDidNotPutThereAreNeitherBlobsNorStagedContent() throws Exception {
        Digest digest = Digest.sha256(HELLO);
        store.put(digest, HELLO);
        Path fanOut = root.resolve("blobs/sha256/" + digest.hex().substring(0, 2));
        Files.writeString(fanOut.resolve("notes.txt"), "x");
        Files.writeString(fanOut.resolve("f".repeat(64)), "in the wrong directory");
        Files.createDirectories(root.resolve("blobs/sha256/zz"));
        Files.writeString(root.resolve("blobs/sha256/zz/" + "0".repeat(64)), "in a directory no digest maps to");
        for (String name : new String[] {".probe-1.tmp", "UPPER", "a.b"}) {
            Files.writeString(root.resolve("ingest").resolve(name), "left by someone else");
        }

        assertThat(listed()).containsExactly(digest);
        assertThat(store.stagedUntouchedSince(Instant.now().plus(Duration.ofMinutes(1)))).isEmpty();
    }

    @Test
    void theProbeFailsWhenStagingCannotBeWritten() throws Exception {
        Path ingest = root.resolve("ingest");
        Files.delete(ingest);
        Files.writeString(ingest, "a file where the directory was");

        assertThatThrownBy(store::probe).isInstanceOf(IOException.class).hasMessageContaining("not a writable directory");
    }

    /** Writes a blob where berth kept blobs before the two-level layout: {@code blobs/<alg>/<hex>}. */
    private Path flat(Digest digest, byte[] content) throws IOException {
        return Files.write(Files.createDirectories(root.resolve("blobs").resolve(digest.algorithm().prefix())).resolve(digest.hex()), content);
    }

    private Path placed(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm().prefix()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    private static Digest sha512(byte[] content) {
        return Digest.fromHash(Digest.Algorithm.SHA512, Digest.Algorithm.SHA512.newMessageDigest().digest(content));
    }

    @Test
    void blobsOfTheEarlierFlatLayoutAreMovedIntoPlaceWhenTheStoreOpens() throws Exception {
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] content = random(1000 + i, i);
            Digest digest = i == 4 ? sha512(content) : Digest.sha256(content);
            flat(digest, content);
            digests.add(digest);
        }
        Path notes = Files.writeString(root.resolve("blobs/sha256/notes.txt"), "not a blob");
        Path partial = Files.writeString(root.resolve("blobs/sha256/" + "a".repeat(63)), "not a digest's name");

        ContentStore opened = new FileContentStore(root);

        for (int i = 0; i < digests.size(); i++) {
            Digest digest = digests.get(i);
            assertThat(opened.read(digest, 10_000)).isEqualTo(random(1000 + i, i));
            assertThat(placed(digest)).exists();
            assertThat(root.resolve("blobs").resolve(digest.algorithm().prefix()).resolve(digest.hex())).doesNotExist();
        }
        assertThat(listed(opened)).containsExactlyInAnyOrderElementsOf(digests);
        assertThat(notes).hasContent("not a blob");
        assertThat(partial).hasContent("not a digest's name");
    }

    @Test
    void aMigrationCutShortIsFinishedByTheNextOpen() throws Exception {
        store.put(Digest.sha256(HELLO), HELLO); // moved before the crash
        byte[] left = random(2000, 1);
        Digest leftBehind = Digest.sha256(left);
        flat(leftBehind, left); // not moved yet
        byte[] both = random(3000, 2);
        Digest inBothPlaces = Digest.sha256(both);
        store.put(inBothPlaces, both);
        Path stale = flat(inBothPlaces, both); // a second process moved it while this one listed it

        ContentStore reopened = new FileContentStore(root);

        assertThat(reopened.read(leftBehind, 10_000)).isEqualTo(left);
        assertThat(reopened.read(inBothPlaces, 10_000)).isEqualTo(both);
        assertThat(reopened.read(Digest.sha256(HELLO), 100)).isEqualTo(HELLO);
        assertThat(stale).doesNotExist();
        assertThat(filesUnder(root.resolve("blobs"))).containsExactlyInAnyOrder(placed(Digest.sha256(HELLO)), placed(leftBehind),
                placed(inBothPlaces));
    }

    @Test
    void storesOpenedAtOnceOnAFlatLayoutBothFindEveryBlob() throws Exception {
        List<Digest> digests = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] content = random(100, i);
            digests.add(Digest.sha256(content));
            flat(Digest.sha256(content), content);
        }
        int opening = 4;
        CyclicBarrier together = new CyclicBarrier(opening);
        ExecutorService pool = Executors.newFixedThreadPool(opening);
        try {
            List<Future<ContentStore>> stores = new ArrayList<>();
            for (int i = 0; i < opening; i++) {
                stores.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return new FileContentStore(root);
                }));
            }
            for (Future<ContentStore> opened : stores) {
                ContentStore each = opened.get(60, TimeUnit.SECONDS);
                for (Digest digest : digests) {
                    assertThat(each.contains(digest)).as(digest.toString()).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(filesUnder(root.resolve("blobs"))).hasSize(digests.size()).allSatisfy(f -> assertThat(f.getParent().getFileName().toString()).hasSize(2));
    }
}
