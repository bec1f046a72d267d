package dev.berth.content;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The digest of staged bytes in progress and how many bytes it has seen, kept between the writes
 * (and requests) that append to them; {@code digest} is null where the caller hashes instead.
 */
final class RunningHash {

    private static final int BUFFER_SIZE = 256 * 1024;

    final Digest.Algorithm algorithm;
    final MessageDigest digest;
    long size;
    /** The size when an early flush was last asked for. */
    long flushRequestedAt;

    private RunningHash(Digest.Algorithm algorithm, MessageDigest digest, long size) {
        this.algorithm = algorithm;
        this.digest = digest;
        this.size = size;
        this.flushRequestedAt = size;
    }

    static RunningHash empty(Digest.Algorithm algorithm) {
        return new RunningHash(algorithm, algorithm.newMessageDigest(), 0);
    }

    /** Counts bytes without hashing them. */
    static RunningHash unhashed() {
        return new RunningHash(null, null, 0);
    }

    /** The hash of the {@code size} bytes a file holds: after a restart, or when another process wrote them. */
    static RunningHash of(Path file, Digest.Algorithm algorithm, long size) throws IOException {
        return new RunningHash(algorithm, hashFile(file, algorithm), size);
    }

    boolean hashes() {
        return digest != null;
    }

    /** The digest of the bytes so far, in {@code algorithm}: from the running hash when it is that one, else read again. */
    Digest result(Digest.Algorithm wanted, Path file) throws IOException {
        MessageDigest md = wanted == algorithm ? digest : hashFile(file, wanted);
        return Digest.fromHash(wanted, md.digest());
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
}
