package dev.berth.content;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts writing staged bytes to disk while more still arrive, so the fsync that completes them
 * has little left to write instead of the whole blob. An early start only: commit still fsyncs the
 * file itself before the blob is acknowledged.
 */
final class EarlyFlusher {

    /** One thread: the disk writes no faster for more, and a flush that waits is merged with the next. */
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "blob-early-flush");
        thread.setDaemon(true);
        return thread;
    });
    /** Files with a flush queued and not begun: asking again before it begins adds nothing. */
    private final Set<Path> queued = ConcurrentHashMap.newKeySet();

    void request(Path file) {
        if (queued.add(file)) {
            executor.execute(() -> {
                queued.remove(file);
                flush(file);
            });
        }
    }

    private static void flush(Path file) {
        // Its own descriptor, so the request's channel can close without waiting for this fsync.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(false);
        } catch (IOException e) {
            // Committed (renamed) or discarded meanwhile: there is nothing left to start early.
        }
    }
}
