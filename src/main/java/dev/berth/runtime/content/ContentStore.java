package dev.berth.runtime.content;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The local content store: {@code ROOT/blobs/<alg>/<hex>}, each file named by the digest of its
 * bytes. New content is written to {@code ROOT/ingest/} and renamed into place only after its size
 * and digest check ({@link ContentWriter#commit}), so a blob file is never wrong, even after a crash.
 */
public final class ContentStore {

    private final Path blobs;
    private final Path ingest;

    public ContentStore(Path root) {
        Path r = root.toAbsolutePath().normalize();
        this.blobs = r.resolve("blobs");
        this.ingest = r.resolve("ingest");
    }

    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /** Where the blob lives (it may not exist). */
    public Path path(Digest digest) {
        return blobs.resolve(digest.algorithm().prefix()).resolve(digest.hex());
    }

    public InputStream open(Digest digest) throws IOException {
        try {
            return Files.newInputStream(path(digest));
        } catch (NoSuchFileException e) {
            throw new OciException(OciErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in the local store");
        }
    }

    /** Reads a small blob (a manifest or a config) whole, refusing one larger than {@code max}. */
    public byte[] read(Digest digest, int max) throws IOException {
        try (InputStream in = open(digest)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new OciException(OciErrorCode.MANIFEST_TOO_LARGE, "blob " + digest + " is larger than " + max + " bytes");
            }
            return bytes;
        }
    }

    /** A writer for content expected to have this digest and size; close it to drop what was not committed. */
    public ContentWriter writer(Digest expected, long size) throws IOException {
        Files.createDirectories(ingest);
        Files.createDirectories(path(expected).getParent());
        return new ContentWriter(ingest.resolve(expected.hex() + "-" + UUID.randomUUID()), path(expected), expected, size, true);
    }

    /**
     * A writer that checks the size but leaves the digest to its caller, for bytes the caller hashes
     * itself as it writes them (a download through the registry client's verifying stream, which
     * checks the digest at the end): one hash instead of two. The caller must commit only after its
     * own check passed.
     */
    public ContentWriter writerVerifiedByCaller(Digest expected, long size) throws IOException {
        Files.createDirectories(ingest);
        Files.createDirectories(path(expected).getParent());
        return new ContentWriter(ingest.resolve(expected.hex() + "-" + UUID.randomUUID()), path(expected), expected, size, false);
    }

    /** Stores bytes already in memory (manifests, configs), verified like any other content. */
    public void put(Digest expected, byte[] bytes) throws IOException {
        if (has(expected)) {
            return;
        }
        try (ContentWriter w = writer(expected, bytes.length)) {
            w.write(bytes);
            w.commit();
        }
    }

    public void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    /** Every blob in the store. */
    public Set<Digest> list() {
        Set<Digest> out = new TreeSet<>();
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            Path dir = blobs.resolve(algorithm.prefix());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> algorithm.prefix() + ":" + p.getFileName())
                        .filter(Digest::looksLikeDigest)
                        .forEach(text -> out.add(Digest.of(text)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
