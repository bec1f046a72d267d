package dev.berth.content;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * Blobs as files under a root directory ({@link ContentPaths} has the layout). Bytes are staged
 * in a file, hashed while they stream in, checked, fsynced and only then renamed under their
 * digest ({@link FileStagedBlob#commit}), so a crash at any point leaves either no blob or a
 * correct one. Staging and blobs are on one file system, so the rename is atomic. Opening a store
 * moves blobs of the runtime's earlier flat layout into place ({@link FlatLayoutMigration}).
 */
public final class FileContentStore implements ContentStore {

    /**
     * How a store is set up.
     *
     * @param stagingDirectory the directory under the root that holds staged bytes
     * @param space            asked before and while bytes are staged
     * @param flushEarly       whether to start writing staged bytes to disk every 8 MiB, while more arrive
     */
    public record Settings(String stagingDirectory, SpaceGuard space, boolean flushEarly) {

        /** Staging in {@code ingest/}, no space limit, fsync at commit only: the runtime's store. */
        public static final Settings DEFAULT = new Settings("ingest", SpaceGuard.NONE, false);
    }

    private final ContentPaths paths;
    private final SpaceGuard space;
    private final EarlyFlusher flusher;
    /** Running hash of each named staging, so bytes appended over many requests are hashed once; lost on restart, then rebuilt. */
    private final ConcurrentMap<StagingName, RunningHash> runningHashes = new ConcurrentHashMap<>();

    public FileContentStore(Path root) {
        this(root, Settings.DEFAULT);
    }

    public FileContentStore(Path root, Settings settings) {
        this.paths = new ContentPaths(root, settings.stagingDirectory());
        this.space = settings.space();
        this.flusher = settings.flushEarly() ? new EarlyFlusher() : null;
        try {
            Files.createDirectories(paths.root());
            Durably.createDirectory(paths.blobs());
            for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
                Durably.createDirectory(paths.algorithm(algorithm));
            }
            Files.createDirectories(paths.staging());
            FlatLayoutMigration.run(paths);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the content store " + paths.root(), e);
        }
    }

    @Override
    public Optional<StoredBlob> find(Digest digest) throws IOException {
        Path file = paths.blob(digest);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return attributes.isRegularFile() ? Optional.of(new FileBlob(digest, attributes.size(), file)) : Optional.empty();
    }

    @Override
    public boolean contains(Digest digest) {
        return Files.isRegularFile(paths.blob(digest));
    }

    @Override
    public Stream<Digest> list() throws IOException {
        List<Path> fanOuts = new ArrayList<>();
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(paths.algorithm(algorithm), Files::isDirectory)) {
                dirs.forEach(fanOuts::add);
            }
        }
        return fanOuts.stream().flatMap(dir -> {
            String prefix = dir.getParent().getFileName() + ":";
            try {
                return Files.list(dir).map(file -> prefix + file.getFileName())
                        .filter(FileContentStore::isDigest)
                        .map(Digest::of)
                        .filter(d -> paths.blob(d).getParent().equals(dir));
            } catch (NoSuchFileException e) {
                return Stream.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        return Files.deleteIfExists(paths.blob(digest));
    }

    @Override
    public StagedBlob stage(StagingName name) throws IOException {
        return stage(name, RunningHash.empty(Digest.Algorithm.SHA256));
    }

    @Override
    public Optional<StagedBlob> resume(StagingName name) throws IOException {
        Path file = paths.staged(name);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            runningHashes.remove(name);
            return Optional.empty();
        }
        try {
            long size = channel.size();
            channel.position(size);
            RunningHash hash = runningHashes.get(name);
            if (hash == null || !hash.hashes() || hash.algorithm != Digest.Algorithm.SHA256 || hash.size != size) {
                // Another process wrote these bytes, or this one restarted: hash what is on disk once.
                hash = RunningHash.of(file, Digest.Algorithm.SHA256, size);
                runningHashes.put(name, hash);
            }
            return Optional.of(new FileStagedBlob(this, name, file, channel, hash));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public Optional<Long> stagedSize(StagingName name) throws IOException {
        try {
            return Optional.of(Files.size(paths.staged(name)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void discard(StagingName name) throws IOException {
        runningHashes.remove(name);
        Files.deleteIfExists(paths.staged(name));
    }

    @Override
    public List<StagingName> stagedUntouchedSince(Instant cutoff) throws IOException {
        return StagingName.untouchedSince(paths.staging(), cutoff);
    }

    @Override
    public ContentWriter writer(Digest expected, long size) throws IOException {
        return new ContentWriter(stage(StagingName.random(), RunningHash.empty(expected.algorithm())), expected, size);
    }

    @Override
    public ContentWriter writerVerifiedByCaller(Digest expected, long size) throws IOException {
        return new ContentWriter(stage(StagingName.random(), RunningHash.unhashed()), expected, size);
    }

    @Override
    public void probe() throws IOException {
        for (Path dir : new Path[] {paths.blobs(), paths.staging()}) {
            if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
                throw new IOException(dir + " is not a writable directory");
            }
        }
        // A dot: never a staging name, so never taken for staged content.
        Path probe = Files.createTempFile(paths.staging(), ".probe-", ".tmp");
        Files.delete(probe);
    }

    @Override
    public String location() {
        return paths.root().toString();
    }

    @Override
    public OciException unknown(Digest digest) {
        return new OciException(OciErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in the local store " + paths.root());
    }

    ContentPaths paths() {
        return paths;
    }

    SpaceGuard space() {
        return space;
    }

    /** Null when staged bytes are flushed at commit only. */
    EarlyFlusher flusher() {
        return flusher;
    }

    void rememberHash(StagingName name, RunningHash hash) {
        runningHashes.put(name, hash);
    }

    void forgetHash(StagingName name) {
        runningHashes.remove(name);
    }

    private StagedBlob stage(StagingName name, RunningHash hash) throws IOException {
        Path file = paths.staged(name);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        runningHashes.put(name, hash);
        return new FileStagedBlob(this, name, file, channel, hash);
    }

    private static boolean isDigest(String text) {
        try {
            Digest.of(text);
            return true;
        } catch (OciException e) {
            return false;
        }
    }

    /** A blob file; each stream opens it anew. */
    private record FileBlob(Digest digest, long size, Path path) implements StoredBlob {

        @Override
        public InputStream stream(long offset, long length) throws IOException {
            if (offset < 0 || length < 0 || offset > size || length > size - offset) {
                throw new IllegalArgumentException("bytes " + offset + "+" + length + " are outside the " + size + " bytes of " + digest);
            }
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            try {
                channel.position(offset);
                return new RangeInputStream(Channels.newInputStream(channel), length);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public Optional<Path> file() {
            return Optional.of(path);
        }
    }
}
