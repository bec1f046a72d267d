package dev.berth.content.s3;

import dev.berth.content.StoredBlob;
import dev.berth.oci.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;

/** A blob object; each stream is one GET of the range asked for, or the client is sent to a presigned URL of it. */
record S3Blob(S3ContentStore store, Digest digest, long size) implements StoredBlob {

    @Override
    public InputStream stream(long offset, long length) throws IOException {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new IllegalArgumentException("bytes " + offset + "+" + length + " are outside the " + size + " bytes of " + digest);
        }
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        String key = store.keys().blob(digest);
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        return new ObjectStream(S3ContentStore.call("read " + key, () -> store.s3().getObject(r -> r
                .bucket(store.settings().bucket()).key(key).range(range))), length);
    }

    @Override
    public Optional<Path> file() {
        return Optional.empty();
    }

    /** With {@code redirect: true}, a presigned GET of the object, valid for the redirect expiry; signing needs no request. */
    @Override
    public Optional<URI> redirect() throws IOException {
        if (!store.settings().redirect()) {
            return Optional.empty();
        }
        String key = store.keys().blob(digest);
        try {
            return Optional.of(S3ContentStore.call("presign " + key, () -> store.presigner().presignGetObject(p -> p
                    .signatureDuration(store.settings().redirectExpiry())
                    .getObjectRequest(r -> r.bucket(store.settings().bucket()).key(key)))).url().toURI());
        } catch (URISyntaxException e) {
            throw new IOException("the presigned URL of " + key + " is not a URI", e);
        }
    }

    /**
     * A GET's body: closed before its end (a client that hung up), it aborts the connection rather
     * than read the rest of a large range to reuse it.
     */
    private static final class ObjectStream extends FilterInputStream {

        private final ResponseInputStream<?> response;
        private long remaining;

        ObjectStream(ResponseInputStream<?> response, long length) {
            super(response);
            this.response = response;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            int b = remaining > 0 ? in.read() : -1;
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            } else if (n < 0) {
                throw new IOException("the object store's answer ended " + remaining + " bytes early");
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (remaining > 0) {
                response.abort();
            }
            super.close();
        }
    }
}
