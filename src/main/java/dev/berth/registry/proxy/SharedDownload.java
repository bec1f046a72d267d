package dev.berth.registry.proxy;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One upstream download of a blob, read by any number of clients while it arrives. The fetch
 * writes the bytes to a spool file (besides the content store) and readers follow that file. A
 * reader gets every byte but the last as soon as it is written, and the last only once the fetch
 * says the digest was checked and the blob stored ({@link #verified}): so a client never receives
 * a whole body of wrong bytes. When the fetch fails ({@link #failed}), every reader's next read
 * fails instead, which breaks its client's connection mid-body. The spool is removed once the
 * fetch has ended and its last reader has closed.
 */
final class SharedDownload {

    private final Digest digest;
    private final long size;
    private final Path spool;
    private final Duration stallTimeout;

    private long written;
    private long lastProgress = System.nanoTime();
    private boolean verified;
    private IOException failure;
    private boolean finished;
    private boolean spoolRemoved;
    private int readers;

    /** Creates the (empty) spool file; {@code stallTimeout}: how long a reader waits for the next byte. */
    SharedDownload(Digest digest, long size, Path spool, Duration stallTimeout) throws IOException {
        if (size < 1) {
            throw new IllegalArgumentException("a shared download needs the blob's size, got " + size);
        }
        this.digest = digest;
        this.size = size;
        this.spool = spool;
        this.stallTimeout = stallTimeout;
        Files.createFile(spool);
    }

    Digest digest() {
        return digest;
    }

    long size() {
        return size;
    }

    /** The fetch's side: bytes written here become readable (all but the last until {@link #verified}). */
    OutputStream spoolWriter() throws IOException {
        FileChannel channel = FileChannel.open(spool, StandardOpenOption.WRITE);
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                advance(length);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** The blob is checked and stored: readers get the last byte. */
    synchronized void verified() {
        if (written != size) {
            failed(new IOException("the fetch ended after " + written + " of " + size + " bytes"));
            return;
        }
        verified = true;
        finish();
    }

    /** The fetch failed: readers fail at their next read, and the bytes already spooled are dropped. */
    synchronized void failed(Exception cause) {
        if (finished) {
            return;
        }
        failure = cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        finish();
    }

    /**
     * Joins as a reader of bytes {@code [start, start + length)}, or empty when the spool is already gone
     * (the download ended and nobody was reading: the blob is then in the store, or the fetch failed).
     */
    java.util.Optional<InputStream> join(long start, long length) throws IOException {
        synchronized (this) {
            if (spoolRemoved) {
                return java.util.Optional.empty();
            }
            readers++;
        }
        try {
            return java.util.Optional.of(new Follower(FileChannel.open(spool, StandardOpenOption.READ), start, start + length));
        } catch (IOException | RuntimeException e) {
            leave();
            throw e;
        }
    }

    /** Why the fetch failed, once it has. */
    synchronized java.util.Optional<IOException> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    private synchronized void advance(long bytes) {
        written += bytes;
        lastProgress = System.nanoTime();
        notifyAll();
    }

    private void finish() {
        finished = true;
        notifyAll();
        removeSpoolIfUnused();
    }

    private synchronized void leave() {
        readers--;
        removeSpoolIfUnused();
    }

    private void removeSpoolIfUnused() {
        if (finished && readers == 0 && !spoolRemoved) {
            spoolRemoved = true;
            try {
                Files.deleteIfExists(spool);
            } catch (IOException ignored) {
                // A spool left behind is removed with the spool directory at the next start.
            }
        }
    }

    /** Blocks until a byte after {@code position} may be read; returns how far reading may go. */
    private synchronized long readableFrom(long position) throws IOException {
        while (true) {
            if (failure != null) {
                throw new IOException("the download of " + digest + " from upstream failed: " + failure.getMessage(), failure);
            }
            long readable = verified ? written : Math.min(written, size - 1);
            if (readable > position) {
                return readable;
            }
            if (finished) {
                throw new IOException("the download of " + digest + " ended at " + written + " of " + size + " bytes");
            }
            long waited = System.nanoTime() - lastProgress;
            long left = stallTimeout.toNanos() - waited;
            if (left <= 0) {
                throw new IOException("the upstream sent nothing of " + digest + " for " + stallTimeout.toSeconds() + " s");
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + digest, e);
            }
        }
    }

    /** A reader that follows the spool as it grows. */
    private final class Follower extends InputStream {

        private final FileChannel channel;
        private final long end;
        private long position;
        private boolean closed;

        Follower(FileChannel channel, long start, long end) {
            this.channel = channel;
            this.position = start;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (position >= end) {
                return -1;
            }
            long limit = Math.min(end, readableFrom(position));
            int n = channel.read(ByteBuffer.wrap(bytes, offset, (int) Math.min(length, limit - position)), position);
            if (n < 0) {
                throw new IOException("the spool of " + digest + " is shorter than the bytes written to it");
            }
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                channel.close();
                leave();
            }
        }
    }
}
