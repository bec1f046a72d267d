package dev.berth.content;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Content-addressed blobs: the contract every store keeps (on disk, {@link FileContentStore};
 * in an S3 bucket, {@code content.s3.S3ContentStore}), checked by one test suite that runs against each of them.
 * <ul>
 *   <li>A blob exists under a digest only if its bytes hash to it. New bytes are staged
 *       ({@link #stage}, {@link #writer}), hashed as they arrive, made durable, checked, and only
 *       then become the blob, all at once: a reader never sees part of a blob, and a crash at any
 *       point leaves either no blob or the right one.</li>
 *   <li>A failed check (digest or size) leaves nothing, neither blob nor staged bytes.</li>
 *   <li>Committing a digest that is already stored, also from several writers at the same time,
 *       succeeds and keeps one copy.</li>
 *   <li>Staged bytes are never read as a blob; what a crash leaves in staging is listed by
 *       {@link #stagedUntouchedSince} and removed by {@link #discard}.</li>
 *   <li>Digests and staging names are value types whose grammar admits no path, so no input can
 *       name anything outside the store.</li>
 * </ul>
 */
public interface ContentStore {

    /** The blob stored under {@code digest}, complete and verified, or empty. */
    Optional<StoredBlob> find(Digest digest) throws IOException;

    default boolean contains(Digest digest) throws IOException {
        return find(digest).isPresent();
    }

    /** The whole blob as a stream, or {@code BLOB_UNKNOWN}. */
    default InputStream open(Digest digest) throws IOException {
        return require(digest).stream();
    }

    /** Reads a small blob (a manifest, a config) whole, refusing one larger than {@code max}. */
    default byte[] read(Digest digest, int max) throws IOException {
        StoredBlob blob = require(digest);
        if (blob.size() > max) {
            throw new OciException(OciErrorCode.MANIFEST_TOO_LARGE, "blob " + digest + " is larger than " + max + " bytes");
        }
        try (InputStream in = blob.stream()) {
            return in.readNBytes(max);
        }
    }

    /** The blob, or {@code BLOB_UNKNOWN}. */
    default StoredBlob require(Digest digest) throws IOException {
        return find(digest).orElseThrow(() -> unknown(digest));
    }

    /** Every stored digest, in no particular order; close the stream. */
    Stream<Digest> list() throws IOException;

    /** Removes a blob. @return whether it was there */
    boolean delete(Digest digest) throws IOException;

    /** Starts staging new bytes under a name no staged content has now (else {@code FileAlreadyExistsException}). */
    StagedBlob stage(StagingName name) throws IOException;

    /** The staged bytes of that name, to append to or commit, or empty when there are none. */
    Optional<StagedBlob> resume(StagingName name) throws IOException;

    /** How many bytes are staged under the name, or empty when there are none; opens nothing. */
    Optional<Long> stagedSize(StagingName name) throws IOException;

    /** Removes the staged bytes of that name, if any. */
    void discard(StagingName name) throws IOException;

    /** The staged content nobody has written to since {@code cutoff} (e.g. left by a crash). */
    List<StagingName> stagedUntouchedSince(Instant cutoff) throws IOException;

    /**
     * A one-shot writer for content of a known digest and size: more bytes than that fail at once,
     * and its commit checks size and digest. Closing it uncommitted leaves nothing.
     */
    ContentWriter writer(Digest expected, long size) throws IOException;

    /**
     * As {@link #writer}, but the store does not hash: for bytes that the caller hashes itself as
     * it writes them, and it commits only after its own digest check passed (the runtime's pull,
     * whose registry client verifies the download: one hash instead of two). The size is checked.
     */
    ContentWriter writerVerifiedByCaller(Digest expected, long size) throws IOException;

    /** Stores bytes already in memory (manifests, configs), verified like any other content. */
    default void put(Digest expected, byte[] bytes) throws IOException {
        if (contains(expected)) {
            return;
        }
        try (ContentWriter writer = writer(expected, bytes.length)) {
            writer.write(bytes);
            writer.commit();
        }
    }

    /** Checks that the store can take new content now (for health checks); the exception says why not. */
    void probe() throws IOException;

    /** Where the store keeps its content, for messages and health details. */
    String location();

    /** The error for a blob that is not stored. */
    default OciException unknown(Digest digest) {
        return new OciException(OciErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in the store at " + location());
    }
}
