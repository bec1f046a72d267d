package dev.berth.content.s3;

import dev.berth.content.StagedBlob;
import dev.berth.content.StagingName;
import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An upload of an {@link S3ContentStore}: the spooled tail (the bytes after the last full part)
 * and the parts already in S3. The first part that fills while this writer is open is kept on
 * disk as well ({@code <name>.base}) until it closes, so a failed append can be rolled back to any
 * size since it opened; the parts after that point are sent again (S3 replaces a part of the same
 * number, and a completion names only the parts it keeps).
 */
final class S3StagedBlob implements StagedBlob {

    private static final long SPACE_CHECK_EVERY = 1024 * 1024;

    private final S3ContentStore store;
    private final StagingName name;
    private final long partSize;
    private final Digest.Algorithm algorithm;
    /** False for a writer whose caller verifies the digest. */
    private final boolean hashed;
    private FileChannel tail;
    /** The tail's bytes, counted here: also known once the tail is closed. */
    private long tailSize;
    private PartsRecord record;
    /** Null when the hash of the bytes so far is not known here (another process wrote them): the commit reads them again. */
    private MessageDigest md;
    /** The hash and size when this writer opened, to roll back to. */
    private final MessageDigest mdAtOpen;
    private final long sizeAtOpen;
    /** Where the part kept on disk starts, -1 while there is none. */
    private long baseStart = -1;
    private long sinceSpaceCheck;

    S3StagedBlob(S3ContentStore store, StagingName name, FileChannel tail, PartsRecord record, Digest.Algorithm algorithm,
            boolean hashed, MessageDigest md) throws IOException {
        this.store = store;
        this.name = name;
        this.partSize = store.settings().partSize();
        this.tail = tail;
        this.tailSize = tail.size();
        this.record = record;
        this.algorithm = algorithm;
        this.hashed = hashed;
        this.md = md;
        this.mdAtOpen = clone(md);
        this.sizeAtOpen = size();
    }

    @Override
    public StagingName name() {
        return name;
    }

    @Override
    public long size() {
        return uploaded() + tailSize;
    }

    private long uploaded() {
        return store.uploaded(record);
    }

    /** The spool holds at most about two parts of an upload, whatever its size. */
    @Override
    public void requireRoomFor(long bytes) throws IOException {
        store.space().requireRoomFor(Math.min(bytes, 2 * partSize));
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
        try {
            if ((sinceSpaceCheck += length) >= SPACE_CHECK_EVERY) {
                sinceSpaceCheck = 0;
                store.space().requireRoomFor(Math.min(length, 2 * partSize));
            }
            while (length > 0) {
                int n = (int) Math.min(length, partSize - tailSize);
                ByteBuffer wrapped = ByteBuffer.wrap(buffer, offset, n);
                while (wrapped.hasRemaining()) {
                    tail.write(wrapped);
                }
                tailSize += n;
                if (md != null) {
                    md.update(buffer, offset, n);
                }
                offset += n;
                length -= n;
                if (tailSize == partSize) {
                    sendTailAsPart();
                }
            }
        } catch (IOException | RuntimeException e) {
            // The tail may now hold bytes the running hash has not seen.
            md = null;
            if (tail.isOpen()) {
                tailSize = tail.size();
            }
            if (e instanceof IOException io) {
                store.space().writeFailed(io);
            }
            throw e;
        }
    }

    /** The full tail becomes the next part; the spool starts the next tail. */
    private void sendTailAsPart() throws IOException {
        if (record == null) {
            String key = store.keys().staging(name);
            String uploadId = S3ContentStore.call("start a multipart upload of " + key, () -> store.s3().createMultipartUpload(r -> r
                    .bucket(store.settings().bucket()).key(key))).uploadId();
            record = PartsRecord.started(uploadId);
            record.write(store.parts(name));
        }
        String etag = uploadPart(record.etags().size() + 1);
        long start = uploaded();
        record = record.with(etag);
        record.write(store.parts(name));
        tail.close();
        if (baseStart < 0) {
            Files.move(store.tail(name), store.base(name));
            baseStart = start;
            tail = FileChannel.open(store.tail(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } else {
            tail = FileChannel.open(store.tail(name), StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }
        tailSize = 0;
    }

    private String uploadPart(int number) throws IOException {
        String key = store.keys().staging(name);
        return S3ContentStore.call("upload part " + number + " of " + key, () -> store.s3().uploadPart(r -> r
                .bucket(store.settings().bucket()).key(key).uploadId(record.uploadId()).partNumber(number),
                RequestBody.fromFile(store.tail(name)))).eTag();
    }

    @Override
    public void rollBack(long size) throws IOException {
        long now = size();
        if (size < 0 || size > now) {
            throw new IllegalArgumentException("cannot roll " + now + " staged bytes back to " + size);
        }
        if (size < uploaded()) {
            // Bytes from baseStart to sizeAtOpen are in the kept part as they are now; later ones may not be.
            if (baseStart < 0 || size < baseStart || size > sizeAtOpen) {
                throw new IOException("cannot roll the upload " + name + " back to " + size + " bytes: those before "
                        + uploaded() + " are in the object store");
            }
            // The kept part holds bytes baseStart..baseStart+partSize: the new tail is its first ones.
            record = record.firstParts((int) (baseStart / partSize));
            record.write(store.parts(name));
            tail.truncate(0);
            try (FileChannel base = FileChannel.open(store.base(name), StandardOpenOption.READ)) {
                long copied = 0;
                while (copied < size - baseStart) {
                    copied += base.transferTo(copied, size - baseStart - copied, tail);
                }
            }
        } else {
            tail.truncate(size - uploaded());
        }
        tailSize = tail.size();
        tail.position(tailSize);
        md = size == sizeAtOpen ? clone(mdAtOpen) : null;
    }

    @Override
    public long commit(Digest expected, long expectedSize) throws IOException {
        long size = size();
        if (expectedSize >= 0 && size != expectedSize) {
            discard();
            throw new OciException(OciErrorCode.SIZE_INVALID, "content for " + expected + " has " + size
                    + " bytes, expected " + expectedSize, Map.of("digest", expected.toString()));
        }
        boolean verified = !hashed;
        if (hashed && md != null && algorithm == expected.algorithm()) {
            check(expected, Digest.fromHash(algorithm, md.digest()));
            verified = true;
        }
        String target = store.keys().blob(expected);
        String bucket = store.settings().bucket();
        if (record == null) {
            // Less than a part: all of it is in the spool, and goes up in one PUT once it checked out.
            if (!verified) {
                try (InputStream in = Files.newInputStream(store.tail(name))) {
                    check(expected, hash(in, expected.algorithm()));
                }
            }
            tail.force(false);
            if (store.size(target).isEmpty()) {
                S3ContentStore.call("write " + target, () -> store.s3().putObject(r -> r.bucket(bucket).key(target),
                        RequestBody.fromFile(store.tail(name))));
            }
        } else {
            String staging = store.keys().staging(name);
            // A commit that failed after the completion (its copy, say) and is tried again finds the object there.
            if (!store.size(staging).equals(java.util.Optional.of(size))) {
                List<CompletedPart> parts = new ArrayList<>();
                for (int i = 0; i < record.etags().size(); i++) {
                    parts.add(CompletedPart.builder().partNumber(i + 1).eTag(record.etags().get(i)).build());
                }
                if (tailSize > 0) {
                    parts.add(CompletedPart.builder().partNumber(parts.size() + 1).eTag(uploadPart(parts.size() + 1)).build());
                }
                S3ContentStore.call("complete the multipart upload of " + staging, () -> store.s3().completeMultipartUpload(r -> r
                        .bucket(bucket).key(staging).uploadId(record.uploadId()).multipartUpload(m -> m.parts(parts))));
            }
            if (!verified) {
                try (InputStream in = S3ContentStore.call("read " + staging, () -> store.s3().getObject(r -> r.bucket(bucket).key(staging)))) {
                    check(expected, hash(in, expected.algorithm()));
                }
            }
            if (store.size(target).isEmpty()) {
                new ServerSideCopy(store, staging, target, size).run();
            }
        }
        discard();
        return size;
    }

    /** Throws {@code DIGEST_INVALID} (and removes the upload) unless the bytes hash to {@code expected}. */
    private void check(Digest expected, Digest actual) throws IOException {
        if (!actual.equals(expected)) {
            discard();
            throw new OciException(OciErrorCode.DIGEST_INVALID, "content has digest " + actual + ", not the expected "
                    + expected, Map.of("digest", expected.toString()));
        }
    }

    private static Digest hash(InputStream in, Digest.Algorithm algorithm) throws IOException {
        MessageDigest md = algorithm.newMessageDigest();
        byte[] buffer = new byte[256 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
            md.update(buffer, 0, n);
        }
        return Digest.fromHash(algorithm, md.digest());
    }

    @Override
    public void discard() throws IOException {
        closeTail();
        md = null;
        store.discard(name);
    }

    @Override
    public void close() throws IOException {
        if (!tail.isOpen()) {
            return;
        }
        long size = size();
        closeTail();
        // Also marks the upload as touched now, for the purge of stale ones.
        Files.setLastModifiedTime(store.tail(name), java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
        if (md != null) {
            store.rememberHash(name, new S3ContentStore.RunningDigest(md, size));
        } else {
            store.forgetHash(name);
        }
    }

    private void closeTail() throws IOException {
        if (tail.isOpen()) {
            tail.close();
        }
        if (baseStart >= 0) {
            Files.deleteIfExists(store.base(name));
            baseStart = -1;
        }
    }

    private static MessageDigest clone(MessageDigest md) {
        if (md == null) {
            return null;
        }
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            return null;
        }
    }
}
