package dev.berth.registry.upload;

import dev.berth.content.ContentStore;
import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.RegistryProperties;
import dev.berth.registry.metadata.MetadataBeans;
import dev.berth.registry.repository.RepositoryBeans;
import dev.berth.registry.storage.RegistryBlobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.springframework.util.unit.DataSize;

/**
 * The upload service as the server builds it, by hand: the real metadata on an H2 file database
 * and the real blob store, both in {@code dataDir}, with a clock the test moves. Closing it closes
 * the database; opening another on the same directory is a restart of the server.
 */
final class UploadBeans implements AutoCloseable {

    static final RepositoryName APP = RepositoryName.of("app");
    static final Duration EXPIRE_AFTER = Duration.ofHours(1);

    final Path dataDir;
    final MovableClock clock;
    final RegistryProperties properties;
    final MetadataBeans metadata;
    final ContentStore store;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final UploadService uploads;
    final StaleUploadPurger purger;

    private UploadBeans(Path dataDir, RegistryProperties.Storage storage, MovableClock clock) {
        this.dataDir = dataDir;
        this.clock = clock;
        this.properties = new RegistryProperties(dataDir,
                new RegistryProperties.Uploads(EXPIRE_AFTER, Duration.ofMinutes(10), DataSize.ofBytes(0), DataSize.ofKilobytes(1),
                        Duration.ofSeconds(60)),
                null, null, storage);
        this.metadata = MetadataBeans.open(dataDir);
        this.store = RegistryBlobStore.open(properties);
        var stats = metadata.statsRows();
        this.uploads = new UploadService(metadata.blobRecords(), store, RepositoryBeans.service(metadata, stats, clock),
                metadata.transactions(), clock, meters);
        this.purger = new StaleUploadPurger(metadata.uploadSessions(), uploads, store, properties, clock);
    }

    /** Opens the service on {@code dataDir} with no free-space reserve to speak of. */
    static UploadBeans open(Path dataDir, MovableClock clock) {
        return open(dataDir, DataSize.ofBytes(0), clock);
    }

    /** Opens the service on {@code dataDir} keeping {@code reserve} bytes free. */
    static UploadBeans open(Path dataDir, DataSize reserve, MovableClock clock) {
        return new UploadBeans(dataDir, new RegistryProperties.Storage(reserve, null, null), clock);
    }

    /** Opens the service with the blob store {@code storage} sets (an S3 bucket). */
    static UploadBeans open(Path dataDir, RegistryProperties.Storage storage, MovableClock clock) {
        return new UploadBeans(dataDir, storage, clock);
    }

    /** Sends one chunk at {@code start}, as a PATCH with Content-Range does. @return the upload's size afterwards */
    long chunk(String id, long start, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        UploadWrite write = uploads.append(APP, id, bytes.length, new ContentRange(start, start + bytes.length - 1));
        write.write(bytes, 0, bytes.length);
        return write.finish();
    }

    /** Where an upload's bytes are staged. */
    Path staged(String id) {
        return dataDir.resolve("uploads").resolve(id);
    }

    /** Where a committed blob's bytes are. */
    Path blobFile(Digest digest) {
        return dataDir.resolve("blobs/sha256/" + digest.hex().substring(0, 2) + "/" + digest.hex());
    }

    String stagedText(String id) throws IOException {
        return Files.readString(staged(id), StandardCharsets.UTF_8);
    }

    double pushedBytes() {
        return meters.get("berth.blob.pushed.bytes").counter().count();
    }

    @Override
    public void close() {
        metadata.close();
    }

    static Digest sha256(String text) {
        return Digest.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A clock that stands still until the test moves it. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the tests use UTC");
        }
    }
}
