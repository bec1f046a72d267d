package dev.berth.registry.proxy;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The upstream downloads running now, at most one per digest: a pull of a blob that is being
 * downloaded joins that download instead of starting another (N concurrent pulls, one upstream
 * request). Fetches run on threads of their own, so a client that goes away does not stop the
 * download the others read.
 */
final class BlobDownloads implements AutoCloseable {

    /** Writes the blob's bytes to the spool as they come, and returns once they are verified and stored. */
    @FunctionalInterface
    interface Fetch {
        void into(OutputStream spool) throws Exception;
    }

    private final ConcurrentHashMap<Digest, SharedDownload> running = new ConcurrentHashMap<>();
    private final AtomicInteger started = new AtomicInteger();
    private final ExecutorService fetchers;
    private final Path spoolDirectory;
    private final Duration stallTimeout;

    /** Empties {@code spoolDirectory} (what a crash left there) and creates it if need be. */
    BlobDownloads(Path spoolDirectory, Duration stallTimeout) throws IOException {
        this.spoolDirectory = spoolDirectory;
        this.stallTimeout = stallTimeout;
        Files.createDirectories(spoolDirectory);
        try (var left = Files.list(spoolDirectory)) {
            for (Path p : (Iterable<Path>) left::iterator) {
                Files.deleteIfExists(p);
            }
        }
        AtomicInteger threads = new AtomicInteger();
        this.fetchers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "proxy-fetch-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Bytes {@code [start, start + length)} of the blob, read as its download arrives; the download is
     * started with {@code fetch} unless one runs. Empty when the blob was stored meanwhile: read it from the store.
     * The stream fails (IOException) if the download does, before its last byte.
     */
    Optional<InputStream> read(Digest digest, long size, long start, long length, Fetch fetch) throws IOException {
        SharedDownload download = running.computeIfAbsent(digest, d -> start(d, size, fetch));
        Optional<InputStream> in = download.join(start, length);
        if (in.isEmpty()) {
            // It ended before this reader came: stored, or failed (then this pull fails with it, before any byte is sent).
            running.remove(digest, download);
            download.failure().ifPresent(e -> {
                throw new UncheckedIOException(e.getMessage(), e);
            });
        }
        return in;
    }

    /** How many downloads were started so far (each is one upstream request). */
    int started() {
        return started.get();
    }

    private SharedDownload start(Digest digest, long size, Fetch fetch) {
        SharedDownload download;
        try {
            download = new SharedDownload(digest, size, spoolDirectory.resolve(UUID.randomUUID().toString()), stallTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a spool file in " + spoolDirectory, e);
        }
        started.incrementAndGet();
        fetchers.execute(() -> {
            try (OutputStream spool = download.spoolWriter()) {
                fetch.into(spool);
                download.verified();
            } catch (Exception e) {
                // Out of the map first: a pull that comes once the failure is visible starts a new fetch.
                running.remove(digest, download);
                download.failed(e);
            } finally {
                running.remove(digest, download);
            }
        });
        return download;
    }

    @Override
    public void close() {
        fetchers.shutdownNow();
    }
}
