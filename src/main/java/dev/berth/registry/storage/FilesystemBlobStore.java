package dev.berth.registry.storage;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.registry.RegistryProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * Blobs as files under the data directory. Bytes are staged, hashed while they stream in, fsynced,
 * checked and only then renamed under their digest, so a crash at any point leaves either no blob
 * or a correct one.
 */
@Component
public class FilesystemBlobStore implements BlobStore {

    private static final int BUFFER_SIZE = 256 * 1024;
    /** How many bytes an upload gathers before their writing to disk is started early. */
    private static final long EARLY_FLUSH_EVERY = 8L * 1024 * 1024;
    /** How many bytes an upload writes between two looks at the free space. */
    private static final long SPACE_CHECK_EVERY = 1024 * 1024;

    private final BlobPaths paths;
    /** Running SHA-256 of each upload, so chunked uploads are hashed once; lost on restart, then rebuilt from the file. */
    private final ConcurrentMap<String, RunningHash> runningHashes = new ConcurrentHashMap<>();
    private final EarlyFlusher flusher = new EarlyFlusher();
    private final StorageSpace space;

    public FilesystemBlobStore(RegistryProperties properties, StorageSpace space) {
        this.paths = new BlobPaths(properties.dataDir());
        this.space = space;
        try {
            Files.createDirectories(paths.blobsRoot());
            Files.createDirectories(paths.uploadsRoot());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + properties.dataDir(), e);
        }
    }

    /** The directories a health check should find writable. */
    public Path blobsRoot() {
        return paths.blobsRoot();
    }

    public Path uploadsRoot() {
        return paths.uploadsRoot();
    }

    @Override
    public Optional<Path> find(Digest digest) {
        Path file = paths.blob(digest);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public StagedBlob stage(String id) throws IOException {
        Path file = paths.upload(id);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        RunningHash hash = new RunningHash(Digest.Algorithm.SHA256.newMessageDigest(), 0);
        runningHashes.put(id, hash);
        return new FileStagedBlob(id, file, channel, hash);
    }

    @Override
    public Optional<StagedBlob> resume(String id) throws IOException {
        Path file = paths.upload(id);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            runningHashes.remove(id);
            return Optional.empty();
        }
        long size = channel.size();
        channel.position(size);
        RunningHash hash = runningHashes.get(id);
        if (hash == null || hash.size != size) {
            // Another process wrote this upload, or this one restarted: hash what is on disk once.
            hash = new RunningHash(hashFile(file, Digest.Algorithm.SHA256), size);
            runningHashes.put(id, hash);
        }
        return Optional.of(new FileStagedBlob(id, file, channel, hash));
    }

    @Override
    public Optional<Long> stagedSize(String id) throws IOException {
        try {
            return Optional.of(Files.size(paths.upload(id)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void discard(String id) throws IOException {
        runningHashes.remove(id);
        Files.deleteIfExists(paths.upload(id));
    }

    private static MessageDigest hashFile(Path file, Digest.Algorithm algorithm) throws IOException {
        MessageDigest md = algorithm.newMessageDigest();
        byte[] buffer = new byte[BUFFER_SIZE];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return md;
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot fsync a directory; the rename itself is still atomic.
        }
    }

    /** A digest in progress and how many bytes it has seen. */
    private static final class RunningHash {
        final MessageDigest digest;
        long size;
        /** The size when an early flush was last asked for. */
        long flushRequestedAt;

        RunningHash(MessageDigest digest, long size) {
            this.digest = digest;
            this.size = size;
            this.flushRequestedAt = size;
        }
    }

    private final class FileStagedBlob implements StagedBlob {
        private final String id;
        private final Path file;
        private final FileChannel channel;
        private RunningHash hash;
        /** Bytes written since the free space was last looked at. */
        private long sinceSpaceCheck;

        FileStagedBlob(String id, Path file, FileChannel channel, RunningHash hash) {
            this.id = id;
            this.file = file;
            this.channel = channel;
            this.hash = hash;
        }

        @Override
        public long size() {
            return hash.size;
        }

        @Override
        public void requireRoomFor(long bytes) throws IOException {
            space.requireRoomFor(bytes);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            try {
                if ((sinceSpaceCheck += length) >= SPACE_CHECK_EVERY) {
                    sinceSpaceCheck = 0;
                    space.requireRoomFor(length);
                }
                hash.digest.update(buffer, offset, length);
                ByteBuffer wrapped = ByteBuffer.wrap(buffer, offset, length);
                while (wrapped.hasRemaining()) {
                    channel.write(wrapped);
                }
                hash.size += length;
                if (hash.size - hash.flushRequestedAt >= EARLY_FLUSH_EVERY) {
                    hash.flushRequestedAt = hash.size;
                    flusher.request(file);
                }
            } catch (IOException | RuntimeException e) {
                // The file may now hold bytes the running hash has not seen: rebuild it from disk next time.
                runningHashes.remove(id);
                if (DiskFull.isCauseOf(e)) {
                    throw space.full(space.usable());
                }
                throw e;
            }
        }

        @Override
        public void rollBack(long size) throws IOException {
            channel.truncate(size);
            channel.position(size);
            // The running hash has seen the bytes just cut: start it again from what is left.
            hash = new RunningHash(hashFile(file, Digest.Algorithm.SHA256), size);
            runningHashes.put(id, hash);
        }

        @Override
        public long commit(Digest expected) throws IOException {
            channel.force(true);
            Digest actual = expected.algorithm() == Digest.Algorithm.SHA256
                    ? Digest.fromHash(Digest.Algorithm.SHA256, hash.digest.digest())
                    : Digest.fromHash(expected.algorithm(), hashFile(file, expected.algorithm()).digest());
            long size = hash.size;
            close();
            runningHashes.remove(id);
            if (!actual.equals(expected)) {
                Files.deleteIfExists(file);
                throw new OciException(OciErrorCode.DIGEST_INVALID,
                        "upload content has digest " + actual + ", not " + expected, java.util.Map.of("digest", expected.toString()));
            }
            Path target = paths.blob(expected);
            if (Files.exists(target)) {
                Files.deleteIfExists(file);
                return size;
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the uploads and blobs directories must be on one file system", e);
            }
            fsyncDirectory(target.getParent());
            return size;
        }

        @Override
        public void close() throws IOException {
            if (channel.isOpen()) {
                channel.close();
            }
        }
    }
}
