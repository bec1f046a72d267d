package dev.berth.registry.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two transactions add the same manifest to two repositories of one namespace at once, on H2 with
 * a connection pool: the second waits for the first's namespace lock, then sees its row, so the
 * bytes count once. (Blob links are serialized by the blob's row lock as well; a manifest has no
 * such row, so this is the case the namespace lock alone decides.)
 */
class QuotaRowsConcurrencyTest {

    private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

    @TempDir
    Path dataDir;

    private MetadataBeans beans;

    @AfterEach
    void close() {
        if (beans != null) {
            beans.close();
        }
    }

    @Test
    void theSameManifestAddedByTwoTransactionsAtOnceCountsOnce() throws Exception {
        beans = MetadataBeans.open(dataDir);
        BlobRecords records = beans.blobRecords();
        ManifestRecords manifests = beans.manifestRecords();
        QuotaRows quotas = beans.quotaRows();
        Transactions transactions = beans.transactions();
        long a = transactions.inTransaction(() -> {
            records.insertRepository(RepositoryName.of("team/a"), T0);
            records.insertRepository(RepositoryName.of("team/b"), T0);
            return records.repositoryId(RepositoryName.of("team/a")).orElseThrow();
        });
        long b = records.repositoryId(RepositoryName.of("team/b")).orElseThrow();
        byte[] content = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(content);

        CountDownLatch firstInserted = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.inTransaction(() -> {
            manifests.insert(a, digest, MediaType.OCI_MANIFEST, null, null, content, T0, List.of());
            firstInserted.countDown();
            await(secondStarted);
            sleep(300); // the second is now inside its insert, waiting for the namespace (or, without the lock, done)
            return null;
        }));
        firstInserted.await(10, TimeUnit.SECONDS);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> transactions.retryingOnConflict(() -> {
            secondStarted.countDown();
            manifests.insert(b, digest, MediaType.OCI_MANIFEST, null, null, content, T0, List.of());
            return null;
        }));
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);

        assertThat(quotas.used("team")).isEqualTo(content.length).isEqualTo(quotas.recount("team"));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
