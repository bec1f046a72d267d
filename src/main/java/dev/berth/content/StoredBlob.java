package dev.berth.content;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A complete, verified blob as a store holds it: its size and its bytes from any offset. Found by
 * {@link ContentStore#find}; it holds no resource, so it needs no closing (each stream does).
 */
public interface StoredBlob {

    Digest digest();

    long size();

    /**
     * The bytes from {@code offset}, {@code length} of them: a whole blob, a range, or the rest
     * ({@code size() - offset}). An offset or length outside the blob is an
     * {@link IllegalArgumentException}; the stream must be closed.
     */
    InputStream stream(long offset, long length) throws IOException;

    /** The whole blob. */
    default InputStream stream() throws IOException {
        return stream(0, size());
    }

    /**
     * A local file that holds exactly the blob's bytes, where the store keeps its blobs in files:
     * for zero-copy serving (sendfile, {@code FileChannel.transferTo}). Empty for a store that does
     * not (an object store), whose blobs are read with {@link #stream}.
     */
    Optional<Path> file();

    /**
     * A URL from which a client may fetch the blob itself, ranges included, for a short while (an
     * object store's presigned GET), where the store is set to hand them out; empty otherwise.
     */
    default Optional<URI> redirect() throws IOException {
        return Optional.empty();
    }
}
