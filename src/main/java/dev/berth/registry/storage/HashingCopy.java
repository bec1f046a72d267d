package dev.berth.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Copies a stream into a file and hashes it on the way, with the hashing on a second thread: the
 * calling thread reads a buffer and writes it to the file, then hands it to the hasher and reads
 * the next one into another buffer. A few reused direct buffers go round between the two, so the
 * bytes are copied once out of the request (straight into a direct buffer when the stream is also
 * a {@link ReadableByteChannel}), written from there without a further copy, and no more of the
 * blob than those buffers is ever in memory. By the time {@link #copy} returns, every byte it
 * wrote has been hashed.
 */
final class HashingCopy {

    static final int BUFFER_SIZE = 256 * 1024;
    /** Buffers one copy keeps in flight: the hasher may lag the writer by this many. */
    private static final int IN_FLIGHT = 4;
    /** Direct buffers kept for the next copies: allocating one costs more than hashing it. */
    private static final int POOLED_MAX = 8 * IN_FLIGHT;
    private static final ConcurrentLinkedQueue<ByteBuffer> POOL = new ConcurrentLinkedQueue<>();
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    private static final ExecutorService HASHERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "blob-hash");
        thread.setDaemon(true);
        return thread;
    });

    private HashingCopy() {
    }

    /**
     * Copies up to {@code limit} bytes (-1: all) of {@code in} to the end of {@code out}, updating
     * {@code digest} with them; {@code written} hears of every buffer written.
     *
     * @return the number of bytes copied
     */
    static long copy(InputStream in, long limit, FileChannel out, MessageDigest digest, LongConsumer written) throws IOException {
        if (limit >= 0 && limit <= BUFFER_SIZE) {
            return copyInline(in, limit, out, digest, written);
        }
        BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(IN_FLIGHT);
        BlockingQueue<ByteBuffer> filled = new ArrayBlockingQueue<>(IN_FLIGHT + 1);
        List<ByteBuffer> buffers = new ArrayList<>(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++) {
            buffers.add(borrow());
        }
        free.addAll(buffers);
        Future<?> hasher = HASHERS.submit(() -> {
            RuntimeException failure = null;
            for (ByteBuffer b; (b = filled.take()) != END; ) {
                if (failure == null) {
                    try {
                        digest.update(b);
                    } catch (RuntimeException e) {
                        failure = e;   // keep handing buffers back, so the writer never waits for one in vain
                    }
                }
                b.clear();
                free.add(b);
            }
            if (failure != null) {
                throw failure;
            }
            return null;
        });
        long total = 0;
        boolean ended = false;
        try {
            while (limit < 0 || total < limit) {
                ByteBuffer buffer = take(free);
                int n = fill(in, buffer, limit < 0 ? BUFFER_SIZE : (int) Math.min(BUFFER_SIZE, limit - total));
                if (n == 0) {
                    free.add(buffer);
                    break;
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                buffer.rewind();
                filled.add(buffer);
                total += n;
                written.accept(n);
            }
            filled.add(END);
            ended = true;
            await(hasher);
        } finally {
            if (!ended) {
                filled.add(END);
                awaitQuietly(hasher);
            }
            buffers.forEach(HashingCopy::giveBack);
        }
        return total;
    }

    /** A copy that fits one buffer: not worth a second thread. */
    private static long copyInline(InputStream in, long limit, FileChannel out, MessageDigest digest, LongConsumer written)
            throws IOException {
        ByteBuffer buffer = borrow();
        try {
            int n = fill(in, buffer, (int) limit);
            buffer.flip();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            buffer.rewind();
            digest.update(buffer);
            if (n > 0) {
                written.accept(n);
            }
            return n;
        } finally {
            giveBack(buffer);
        }
    }

    /** Reads into {@code buffer} until it holds {@code want} bytes or the stream ends; returns how many it holds. */
    private static int fill(InputStream in, ByteBuffer buffer, int want) throws IOException {
        buffer.clear().limit(want);
        if (in instanceof ReadableByteChannel channel) {
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // Socket reads return a few KiB each: gather a full buffer, so the disk sees one write per buffer.
            }
        } else {
            byte[] chunk = new byte[Math.min(want, 64 * 1024)];
            for (int n; buffer.hasRemaining() && (n = in.read(chunk, 0, Math.min(chunk.length, buffer.remaining()))) >= 0; ) {
                buffer.put(chunk, 0, n);
            }
        }
        return buffer.position();
    }

    private static ByteBuffer borrow() {
        ByteBuffer b = POOL.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(BUFFER_SIZE);
    }

    private static void giveBack(ByteBuffer b) {
        if (POOL.size() < POOLED_MAX) {
            POOL.add(b);
        }
    }

    private static ByteBuffer take(BlockingQueue<ByteBuffer> queue) throws InterruptedIOException {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while copying an upload");
        }
    }

    private static void await(Future<?> hasher) throws IOException {
        try {
            hasher.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            awaitQuietly(hasher);
            throw new InterruptedIOException("interrupted while hashing an upload");
        } catch (ExecutionException e) {
            throw new IOException("hashing an upload failed", e.getCause());
        }
    }

    /** Waits for the hasher to stop, so that nothing touches the digest or the buffers afterwards. */
    private static void awaitQuietly(Future<?> hasher) {
        boolean interrupted = false;
        while (true) {
            try {
                hasher.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
