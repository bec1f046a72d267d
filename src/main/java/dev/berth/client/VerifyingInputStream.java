package dev.berth.client;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/**
 * A blob's body as it arrives, hashed and counted: more bytes than the descriptor's size fail at
 * once, and at the end the size and digest are checked. A failure is kept ({@link #failure}) and
 * thrown as an IOException to the reader, so that whatever the reader wraps it in, the caller can
 * still report the registry's fault as it is.
 */
final class VerifyingInputStream extends InputStream {

    private final InputStream in;
    private final Descriptor blob;
    private final String description;
    private final MessageDigest hash;
    private final LongConsumer progress;
    private long total;
    private boolean verified;
    private OciException failure;
    private IOException networkFailure;

    VerifyingInputStream(InputStream in, Descriptor blob, String description, LongConsumer progress) {
        this.in = in;
        this.blob = blob;
        this.description = description;
        this.hash = blob.digest().algorithm().newMessageDigest();
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage());
        }
        if (length == 0) {
            return 0;
        }
        int n;
        try {
            n = in.read(buffer, offset, length);
        } catch (IOException e) {
            networkFailure = e;
            throw e;
        }
        if (n < 0) {
            verify();
            return -1;
        }
        total += n;
        if (total > blob.size()) {
            fail(new OciException(OciErrorCode.SIZE_INVALID, description + ": the registry sent more than the "
                    + blob.size() + " bytes the manifest declares"));
        }
        hash.update(buffer, offset, n);
        progress.accept(total);
        return n;
    }

    /** Reads what the reader left, so that the end is checked. */
    void drain() throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (read(buffer, 0, buffer.length) >= 0) {
            // counted and hashed by read
        }
    }

    /** The registry's fault, when the bytes were not the blob. */
    OciException failure() {
        return failure;
    }

    /** The connection's fault, when reading from the registry failed. */
    IOException networkFailure() {
        return networkFailure;
    }

    private void verify() throws IOException {
        if (verified) {
            return;
        }
        if (total != blob.size()) {
            fail(new OciException(OciErrorCode.SIZE_INVALID, description + ": the registry sent " + total
                    + " bytes, the manifest declares " + blob.size()));
        }
        Digest actual = Digest.fromHash(blob.digest().algorithm(), hash.digest());
        if (!actual.equals(blob.digest())) {
            fail(new OciException(OciErrorCode.DIGEST_INVALID, description + ": the registry sent content with digest "
                    + actual + "; refused"));
        }
        verified = true;
    }

    private void fail(OciException e) throws IOException {
        failure = e;
        throw new IOException(e.getMessage());
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
