package dev.berth.registry.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Coalesced downloads over real files and threads: one fetch, many readers, nothing unverified handed out whole. */
@Timeout(60)
class BlobDownloadsTest {

    private static final int SIZE = 1 << 20;

    @TempDir
    Path tmp;

    private final byte[] blob = new byte[SIZE];
    private final Digest digest;
    private BlobDownloads downloads;
    private final ExecutorService clients = Executors.newCachedThreadPool();

    BlobDownloadsTest() {
        new Random(7).nextBytes(blob);
        digest = Digest.sha256(blob);
    }

    @BeforeEach
    void start() throws IOException {
        downloads = new BlobDownloads(tmp.resolve("spool"), Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        downloads.close();
        clients.shutdownNow();
    }

    @Test
    void twentyConcurrentReadersOfOneBlobMakeOneFetchAndAllGetItsBytes() throws Exception {
        CountDownLatch allJoined = new CountDownLatch(20);
        AtomicInteger fetches = new AtomicInteger();
        BlobDownloads.Fetch fetch = spool -> {
            fetches.incrementAndGet();
            allJoined.await(30, TimeUnit.SECONDS);
            writeSlowly(spool, blob);
        };
        List<Future<byte[]>> reads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            reads.add(clients.submit(() -> {
                Optional<InputStream> in = downloads.read(digest, SIZE, 0, SIZE, fetch);
                allJoined.countDown();
                try (InputStream stream = in.orElseThrow()) {
                    return stream.readAllBytes();
                }
            }));
        }

        for (Future<byte[]> read : reads) {
            assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(blob);
        }
        assertThat(fetches).hasValue(1);
        assertThat(downloads.started()).isEqualTo(1);
        awaitEmpty(tmp.resolve("spool"));
    }

    @Test
    void theLastByteWaitsUntilTheFetchSaysTheBlobIsVerified() throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch verify = new CountDownLatch(1);
        BlobDownloads.Fetch fetch = spool -> {
            spool.write(blob);
            written.countDown();
            verify.await(30, TimeUnit.SECONDS);
        };
        InputStream in = downloads.read(digest, SIZE, 0, SIZE, fetch).orElseThrow();
        written.await(30, TimeUnit.SECONDS);

        byte[] first = in.readNBytes(SIZE - 1);
        Future<Integer> last = clients.submit(() -> in.read());
        Thread.sleep(300);
        assertThat(last).as("the last byte is held back until the digest check").isNotDone();
        verify.countDown();

        assertThat(first).isEqualTo(java.util.Arrays.copyOf(blob, SIZE - 1));
        assertThat(last.get(30, TimeUnit.SECONDS)).isEqualTo(blob[SIZE - 1] & 0xff);
        assertThat(in.read()).isEqualTo(-1);
        in.close();
    }

    @Test
    void aFailedCheckFailsEveryReaderBeforeItsLastByteAndLeavesNoSpool() throws Exception {
        CountDownLatch joined = new CountDownLatch(1);
        BlobDownloads.Fetch fetch = spool -> {
            joined.await(30, TimeUnit.SECONDS);
            spool.write(blob);
            throw new IOException("digest mismatch: the upstream sent other bytes");
        };
        InputStream in = downloads.read(digest, SIZE, 0, SIZE, fetch).orElseThrow();
        joined.countDown();
        byte[] got = new byte[SIZE];
        int total = 0;
        IOException failure = null;
        try {
            int n;
            while ((n = in.read(got, total, SIZE - total)) > 0) {
                total += n;
            }
        } catch (IOException e) {
            failure = e;
        }
        in.close();

        assertThat(failure).isNotNull().hasMessageContaining("digest mismatch");
        assertThat(total).isLessThan(SIZE);
        awaitEmpty(tmp.resolve("spool"));
    }

    @Test
    void aPullThatComesAfterTheFetchFailedGetsItsErrorBeforeAnyByte() throws Exception {
        BlobDownloads.Fetch fetch = spool -> {
            throw new IOException("upstream answered 429");
        };
        Optional<InputStream> joined;
        try {
            joined = downloads.read(digest, SIZE, 0, SIZE, fetch);
        } catch (java.io.UncheckedIOException e) {
            // The fetch failed before this reader joined (a busy machine): its error, before any byte.
            assertThat(e).hasMessageContaining("upstream answered 429");
            joined = Optional.empty();
        }
        if (joined.isPresent()) {
            // Joined before the fetch failed: the read fails instead.
            try (InputStream in = joined.get()) {
                assertThatThrownBy(in::read).hasMessageContaining("upstream answered 429");
            }
        }
        awaitEmpty(tmp.resolve("spool"));
        assertThatThrownBy(() -> downloads.read(digest, SIZE, 0, SIZE, spool -> {
            throw new IOException("upstream answered 429 again");
        }).map(in -> {
            try (in) {
                return in.read();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        })).hasMessageContaining("upstream answered 429 again");
    }

    @Test
    void aClientThatGoesAwayMidBlobStopsNeitherTheDownloadNorTheOthers() throws Exception {
        CountDownLatch joined = new CountDownLatch(2);
        AtomicInteger fetches = new AtomicInteger();
        BlobDownloads.Fetch fetch = spool -> {
            fetches.incrementAndGet();
            joined.await(30, TimeUnit.SECONDS);
            writeSlowly(spool, blob);
        };
        InputStream leaving = downloads.read(digest, SIZE, 0, SIZE, fetch).orElseThrow();
        joined.countDown();
        InputStream staying = downloads.read(digest, SIZE, 0, SIZE, fetch).orElseThrow();
        joined.countDown();

        assertThat(leaving.readNBytes(1000)).hasSize(1000);
        leaving.close(); // the client hung up
        try (InputStream in = staying) {
            assertThat(in.readAllBytes()).isEqualTo(blob);
        }
        assertThat(fetches).hasValue(1);
        awaitEmpty(tmp.resolve("spool"));
    }

    @Test
    void aRangeIsServedFromTheDownload() throws Exception {
        CountDownLatch joined = new CountDownLatch(1);
        BlobDownloads.Fetch fetch = spool -> {
            joined.await(30, TimeUnit.SECONDS);
            writeSlowly(spool, blob);
        };
        InputStream range = downloads.read(digest, SIZE, 1000, 5000, fetch).orElseThrow();
        joined.countDown();
        try (InputStream in = range) {
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(blob, 1000, 6000));
        }
    }

    @Test
    void aReaderGivesUpOnAnUpstreamThatStalls() throws Exception {
        BlobDownloads stalling = new BlobDownloads(tmp.resolve("spool2"), Duration.ofMillis(300));
        CountDownLatch end = new CountDownLatch(1);
        try {
            BlobDownloads.Fetch fetch = spool -> {
                spool.write(blob, 0, 100);
                end.await(30, TimeUnit.SECONDS);
            };
            InputStream in = stalling.read(digest, SIZE, 0, SIZE, fetch).orElseThrow();
            assertThat(in.readNBytes(100)).hasSize(100);
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("sent nothing");
            in.close();
        } finally {
            end.countDown();
            stalling.close();
        }
    }

    @Test
    void aDownloadThatEndedIsNotJoinedAndWhatACrashLeftInTheSpoolIsRemoved() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        InputStream once = downloads.read(digest, SIZE, 0, SIZE, spool -> {
            first.await(30, TimeUnit.SECONDS);
            spool.write(blob);
        }).orElseThrow();
        first.countDown();
        try (InputStream in = once) {
            assertThat(in.readAllBytes()).isEqualTo(blob);
        }
        awaitEmpty(tmp.resolve("spool"));
        AtomicInteger second = new AtomicInteger();
        CountDownLatch joined = new CountDownLatch(1);
        InputStream again = downloads.read(digest, SIZE, 0, SIZE, spool -> {
            second.incrementAndGet();
            joined.await(30, TimeUnit.SECONDS);
            spool.write(blob);
        }).orElseThrow();
        joined.countDown();
        try (InputStream in = again) {
            assertThat(in.readAllBytes()).isEqualTo(blob);
        }
        assertThat(second).as("a new pull after the first ended is a new download").hasValue(1);

        Files.writeString(tmp.resolve("spool").resolve("left-by-a-crash"), "x");
        new BlobDownloads(tmp.resolve("spool"), Duration.ofSeconds(1)).close();
        assertThat(tmp.resolve("spool")).isEmptyDirectory();
    }

    private static void writeSlowly(OutputStream out, byte[] bytes) throws IOException, InterruptedException {
        for (int offset = 0; offset < bytes.length; offset += 64 * 1024) {
            out.write(bytes, offset, Math.min(64 * 1024, bytes.length - offset));
            Thread.sleep(5);
        }
    }

    private static void awaitEmpty(Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (var files = Files.list(dir)) {
                if (files.findAny().isEmpty()) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        assertThat(dir).as("spool files are removed once the download ended and its readers closed").isEmptyDirectory();
    }
}
