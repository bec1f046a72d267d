package dev.berth.runtime.content;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Writes one blob into an ingest file while hashing it. {@link #commit} syncs, checks size and
 * digest, and renames the file into the store; {@link #close} without a commit deletes it. More
 * bytes than expected fail at once, before they reach the disk. A writer made by
 * {@link ContentStore#writerVerifiedByCaller} does not hash: its caller hashes the very bytes it
 * writes and commits only after its own check passed.
 */
public final class ContentWriter extends OutputStream {

    private final Path ingestFile;
    private final Path target;
    private final Digest expected;
    private final long expectedSize;
    private final FileChannel channel;
    private final MessageDigest hash;
    private long written;
    private boolean committed;
    private boolean closed;

    /** @param hash whether to hash what is written; false only where the caller verifies the same bytes itself */
    ContentWriter(Path ingestFile, Path target, Digest expected, long expectedSize, boolean hash) throws IOException {
        this.ingestFile = ingestFile;
        this.target = target;
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.hash = hash ? expected.algorithm().newMessageDigest() : null;
        this.channel = FileChannel.open(ingestFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (written + length > expectedSize) {
            throw new OciException(OciErrorCode.SIZE_INVALID, "content for " + expected + " is larger than the "
                    + expectedSize + " bytes expected");
        }
        if (hash != null) {
            hash.update(bytes, offset, length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        written += length;
    }

    /** Makes the content part of the store, or fails (and keeps nothing) if it is not what was expected. */
    public void commit() throws IOException {
        if (written != expectedSize) {
            throw new OciException(OciErrorCode.SIZE_INVALID, "content for " + expected + " has " + written
                    + " bytes, expected " + expectedSize);
        }
        if (hash != null) {
            Digest actual = Digest.fromHash(expected.algorithm(), hash.digest());
            if (!actual.equals(expected)) {
                throw new OciException(OciErrorCode.DIGEST_INVALID, "content expected as " + expected + " has digest " + actual);
            }
        }
        channel.force(true);
        channel.close();
        if (!Files.exists(target)) {
            try {
                Files.move(ingestFile, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(ingestFile, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        committed = true;
        close();
    }

    public long written() {
        return written;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        channel.close();
        if (!committed || Files.exists(ingestFile)) {
            Files.deleteIfExists(ingestFile);
        }
    }
}
