package dev.berth.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.content.ContentStore;
import dev.berth.content.ContentStoreContract;
import dev.berth.content.StagedBlob;
import dev.berth.content.StagingName;
import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.registry.RegistryProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The contract for the registry's blob store, opened as the server opens it ({@link BlobStorage#open}). */
class RegistryBlobStoreTest extends ContentStoreContract {

    @TempDir
    Path dataDir;

    @Override
    protected ContentStore newStore() {
        return open(DataSize.ofBytes(0));
    }

    @Override
    protected ContentStore reopen() {
        return open(DataSize.ofBytes(0));
    }

    private ContentStore open(DataSize reserve) {
        RegistryProperties properties = new RegistryProperties(dataDir, null, null, null, new RegistryProperties.Storage(reserve, null, null));
        return BlobStorage.open(properties, new StorageSpace(properties));
    }

    @Override
    protected void assertNothingStaged() {
        assertThat(dataDir.resolve("uploads")).isEmptyDirectory();
    }

    @Override
    protected void assertOneCopy(Digest digest) throws IOException {
        try (Stream<Path> walk = Files.walk(dataDir)) {
            assertThat(walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().equals(digest.hex())))
                    .containsExactly(dataDir.resolve("blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex()));
        }
    }

    @Test
    void uploadsAreStagedUnderTheirIdInUploads() throws Exception {
        StagingName upload = StagingName.of("0f5e9a4c-6b7d-4e8f-9a0b-1c2d3e4f5a6b");
        try (StagedBlob staged = store.stage(upload)) {
            staged.write(HELLO, 0, HELLO.length);
        }

        assertThat(dataDir.resolve("uploads").resolve(upload.value())).hasBinaryContent(HELLO);
    }

    @Test
    void bytesThatWouldEatIntoTheReserveAreRefusedWith507() throws Exception {
        ContentStore full = open(DataSize.ofTerabytes(1024 * 1024)); // more than any disk here has free
        byte[] mebibyte = random(1024 * 1024, 1);

        try (StagedBlob staged = full.stage(StagingName.random())) {
            assertCode(() -> staged.requireRoomFor(1), OciErrorCode.INSUFFICIENT_STORAGE);
            // Writes look at the free space once a MiB has gone by since the last look.
            assertCode(() -> staged.write(mebibyte, 0, mebibyte.length), OciErrorCode.INSUFFICIENT_STORAGE);
            staged.rollBack(0);
            assertThat(staged.size()).isZero();
            staged.discard();
        }
        assertNothingStaged();
    }
}
