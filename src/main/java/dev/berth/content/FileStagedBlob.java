package dev.berth.content;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Staged bytes in a file of a {@link FileContentStore}'s staging directory. {@link #commit} is
 * the one place a blob comes into being: check size and digest, fsync the file, rename it
 * atomically under its digest, fsync the directory.
 */
final class FileStagedBlob implements StagedBlob {

    /** How many bytes gather before their writing to disk is started early. */
    private static final long EARLY_FLUSH_EVERY = 8L * 1024 * 1024;
    /** How many bytes are written between two looks at the free space. */
    private static final long SPACE_CHECK_EVERY = 1024 * 1024;

    private final FileContentStore store;
    private final StagingName name;
    private final Path file;
    private final FileChannel channel;
    private RunningHash hash;
    /** Bytes written since the free space was last looked at. */
    private long sinceSpaceCheck;

    FileStagedBlob(FileContentStore store, StagingName name, Path file, FileChannel channel, RunningHash hash) {
        this.store = store;
        this.name = name;
        this.file = file;
        this.channel = channel;
        this.hash = hash;
    }

    @Override
    public StagingName name() {
        return name;
    }

    @Override
    public long size() {
        return hash.size;
    }

    @Override
    public void requireRoomFor(long bytes) throws IOException {
        store.space().requireRoomFor(bytes);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        try {
            if ((sinceSpaceCheck += length) >= SPACE_CHECK_EVERY) {
                sinceSpaceCheck = 0;
                store.space().requireRoomFor(length);
            }
            if (hash.hashes()) {
                hash.digest.update(buffer, offset, length);
            }
            ByteBuffer wrapped = ByteBuffer.wrap(buffer, offset, length);
            while (wrapped.hasRemaining()) {
                channel.write(wrapped);
            }
            hash.size += length;
            if (store.flusher() != null && hash.size - hash.flushRequestedAt >= EARLY_FLUSH_EVERY) {
                hash.flushRequestedAt = hash.size;
                store.flusher().request(file);
            }
        } catch (IOException | RuntimeException e) {
            // The file may now hold bytes the running hash has not seen: rebuild it from disk next time.
            store.forgetHash(name);
            if (e instanceof IOException io) {
                store.space().writeFailed(io);
            }
            throw e;
        }
    }

    @Override
    public void rollBack(long size) throws IOException {
        channel.truncate(size);
        channel.position(size);
        // The running hash has seen the bytes just cut: start it again from what is left.
        hash = hash.hashes() ? RunningHash.of(file, hash.algorithm, size) : RunningHash.unhashed();
        hash.size = size;
        store.rememberHash(name, hash);
    }

    @Override
    public long commit(Digest expected, long expectedSize) throws IOException {
        long size = hash.size;
        Path target = store.paths().blob(expected);
        try {
            if (expectedSize >= 0 && size != expectedSize) {
                throw new OciException(OciErrorCode.SIZE_INVALID, "content for " + expected + " has " + size
                        + " bytes, expected " + expectedSize, Map.of("digest", expected.toString()));
            }
            if (hash.hashes()) {
                Digest actual = hash.result(expected.algorithm(), file);
                if (!actual.equals(expected)) {
                    throw new OciException(OciErrorCode.DIGEST_INVALID, "content has digest " + actual + ", not the expected "
                            + expected, Map.of("digest", expected.toString()));
                }
            }
        } catch (OciException e) {
            discard();
            throw e;
        }
        if (Files.exists(target)) {
            // The same bytes are there already (only verified bytes ever get there).
            discard();
            return size;
        }
        channel.force(true);
        channel.close();
        store.forgetHash(name);
        Durably.createDirectory(target.getParent());
        try {
            // Replaces a copy that a concurrent commit of the same digest put there meanwhile: the same bytes.
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the staging and blobs directories must be on one file system", e);
        }
        Durably.fsyncDirectory(target.getParent());
        return size;
    }

    @Override
    public void discard() throws IOException {
        close();
        store.discard(name);
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            channel.close();
        }
    }
}
