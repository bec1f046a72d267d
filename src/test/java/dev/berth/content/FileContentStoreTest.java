package dev.berth.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
}
