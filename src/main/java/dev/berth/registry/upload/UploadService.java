package dev.berth.registry.upload;

import dev.berth.content.ContentStore;
import dev.berth.content.StagedBlob;
import dev.berth.content.StagingName;
import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.metadata.BlobRecords;
import dev.berth.registry.metadata.RepositoryGoneException;
import dev.berth.registry.metadata.Transactions;
import dev.berth.registry.repository.RepositoryService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Blob uploads: monolithic, chunked and streamed, resumable through their session. A session's
 * offset is the size of its staged file; every step that fails rolls the file back to where the
 * step began, so a client can always resume from the offset it is told. A request carrying bytes
 * gets an {@link UploadWrite} and feeds it as the body arrives, so no thread waits for a slow client.
 */
@Service
public class UploadService {

    private static final Logger log = LoggerFactory.getLogger(UploadService.class);

    private final BlobRecords records;
    private final ContentStore store;
    private final RepositoryService repositories;
    private final Transactions transactions;
    private final Clock clock;
    /** The uploads this process has started or served: their repository and the request writing to them. */
    private final ConcurrentMap<String, Live> live = new ConcurrentHashMap<>();
    /** Counted where bytes are kept, so no request has to ask for an upload's size just to count them. */
    private final Counter pushedBytes;

    UploadService(BlobRecords records, ContentStore store, RepositoryService repositories, Transactions transactions, Clock clock,
                  MeterRegistry meters) {
        this.records = records;
        this.store = store;
        this.repositories = repositories;
        this.transactions = transactions;
        this.clock = clock;
        this.pushedBytes = Counter.builder("berth.blob.pushed.bytes").description("Blob bytes received from clients")
                .baseUnit("bytes").register(meters);
    }

    /** Starts an upload session; returns its id. */
    public String start(RepositoryName name) throws IOException {
        String id = UUID.randomUUID().toString();
        store.stage(StagingName.of(id)).close();
        live.put(id, new Live(name));
        try {
            // Under the repository's stats lock, as a whole-repository delete takes it: the session is
            // written before that delete looks for sessions to cancel, or into a fresh repository after it.
            repositories.intoRepository(name, repositoryId -> transactions.retryingOnConflict(() -> {
                repositories.lockStanding(repositoryId);
                records.insertSession(id, repositoryId, clock.instant());
                return null;
            }));
        } catch (RuntimeException e) {
            live.remove(id);
            store.discard(StagingName.of(id));
            throw e;
        }
        return id;
    }

    /** How many bytes the upload holds; while a request writes to it, what it held before that request. */
    public long status(RepositoryName name, String id) throws IOException {
        Session session = require(name, id);
        UploadWrite writing = known(session).writer.get();
        if (writing != null) {
            return writing.settledSize();
        }
        return store.stagedSize(StagingName.of(id)).orElseThrow(() -> gone(id));
    }

    /**
     * Appends one chunk ({@code range} given) or a stream ({@code range} null); the upload's size
     * afterwards is what {@link UploadWrite#finish} returns.
     *
     * @param declaredLength the request's Content-Length, or -1 when it sent none
     */
    public UploadWrite append(RepositoryName name, String id, long declaredLength, ContentRange range) throws IOException {
        Session session = require(name, id);
        return open(session, declaredLength, range, (staged, before) -> {
            long size = staged.size();
            try {
                records.recordProgress(id, size, clock.instant());
            } catch (RuntimeException e) {
                // Not acknowledged, so not kept: the client resumes from the offset it knew.
                staged.rollBack(before);
                throw e;
            }
            return size;
        });
    }

    /**
     * Finishes an upload: appends the final chunk if any, checks the digest and stores the blob.
     * A digest mismatch ends the session, as in distribution: its bytes are of no further use.
     *
     * @param declaredLength the final chunk's length: 0 for none, -1 for a stream of unknown length
     */
    public UploadWrite complete(RepositoryName name, String id, Digest digest, long declaredLength, ContentRange range) throws IOException {
        Session session = require(name, id);
        // Without a last chunk, a Content-Range says nothing.
        return open(session, declaredLength, declaredLength == 0 ? null : range, (staged, before) -> {
            long size;
            try {
                // The blob's rows and the session's end commit together: one transaction, not three.
                size = commitAndLink(session.repositoryId(), staged, digest, () -> records.deleteSession(id));
            } catch (RepositoryGoneException e) {
                end(id);
                throw new OciException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + id + " ended: its repository was deleted",
                        Map.of("name", name.value()));
            } catch (OciException e) {
                end(id);
                throw e;
            }
            live.remove(id);
            return size;
        });
    }

    /** A whole blob in one request (POST with {@code ?digest=}, or a monolithic PUT). */
    public UploadWrite putWhole(RepositoryName name, Digest digest, long declaredLength) throws IOException {
        String id = UUID.randomUUID().toString();
        StagedBlob staged = store.stage(StagingName.of(id));
        try {
            staged.requireRoomFor(declaredLength);
        } catch (IOException | RuntimeException e) {
            staged.discard();
            throw e;
        }
        return new UploadWrite(id, staged, 0, declaredLength, new UploadWrite.Ending() {
            @Override
            public long finish(StagedBlob blob) throws IOException {
                try {
                    // Into the repository as it stands when the bytes are in: a fresh one if it was deleted meanwhile.
                    try {
                        return repositories.intoRepository(name, repositoryId -> {
                            try {
                                return commitAndLink(repositoryId, blob, digest, () -> { });
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
                    } catch (UncheckedIOException e) {
                        throw e.getCause();
                    }
                } finally {
                    blob.discard();
                }
            }

            @Override
            public void abandon(StagedBlob blob) throws IOException {
                blob.discard();
            }
        }, write -> { }, pushedBytes);
    }

    /**
     * Commits the staged bytes under their digest and links the blob, holding the blob's row lock
     * (inserting the row first if needed) from before the file is committed until the link is: GC
     * deletes a blob's file only under that lock, so a file it deleted while this waited is seen
     * missing and these bytes are renamed into its place, and it cannot delete the file between
     * this commit and the link. The file commit happens once: if the transaction is run again
     * after it, the file must still be there.
     */
    private long commitAndLink(long repositoryId, StagedBlob staged, Digest digest, Runnable inSameTransaction) throws IOException {
        long[] size = {-1};
        try {
            return transactions.retryingOnConflict(() -> {
                records.holdBlob(digest, staged.size(), clock.instant());
                // The link first: a link past the namespace's quota is refused before the file is committed.
                repositories.linkHeldInTransaction(repositoryId, digest);
                try {
                    if (size[0] < 0) {
                        size[0] = staged.commit(digest);
                    } else if (!store.contains(digest)) {
                        throw new OciException(OciErrorCode.BLOB_UPLOAD_INVALID,
                                "blob " + digest + " was removed while its upload completed; upload it again");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                inSameTransaction.run();
                return size[0];
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Cancels an upload and removes its bytes, also while a request writes to it. The bytes go
     * first and without the database: when the database cannot answer (a full disk closed it), an
     * upload this process knows to be the repository's is still removed, and its row is left to expire.
     */
    public void cancel(RepositoryName name, String id) throws IOException {
        Session session;
        try {
            session = require(name, id);
        } catch (DataAccessException e) {
            Live known = live.get(id);
            if (known == null || !known.name().equals(name)) {
                throw e;
            }
            log.warn("the database cannot confirm upload {}, removing its bytes anyway: {}", id, e.toString());
            session = new Session(id, -1, name);
        }
        Live known = known(session);
        synchronized (known) {
            known.takeOver("the upload was cancelled");
            store.discard(StagingName.of(id));
            live.remove(id);
        }
        try {
            records.deleteSession(id);
        } catch (DataAccessException e) {
            log.warn("upload {} is cancelled and its bytes removed, its session row stays until it expires: {}", id, e.toString());
        }
    }

    /** Ends a session: its staged bytes, its row, its lock. Also used to expire stale sessions. */
    void end(String id) throws IOException {
        Live known = live.remove(id);
        if (known != null) {
            known.takeOver("the upload has ended");
        }
        store.discard(StagingName.of(id));
        records.deleteSession(id);
    }

    /**
     * Checks what can be checked before the body (the range, the room left), and makes the new
     * write the upload's only one: a request still writing to it is abandoned, since a client that
     * sends again has given up on it (its bytes are rolled back, so the offset checked here holds).
     */
    private UploadWrite open(Session session, long declaredLength, ContentRange range, Finish finish) throws IOException {
        if (range != null && declaredLength >= 0 && declaredLength != range.length()) {
            throw new OciException(OciErrorCode.SIZE_INVALID,
                    "Content-Length " + declaredLength + " does not match Content-Range " + range.start() + "-" + range.end());
        }
        long expected = range != null ? range.length() : declaredLength;
        Live known = known(session);
        synchronized (known) {
            known.takeOver("a newer request for the upload arrived");
            StagedBlob staged = resume(session);
            try {
                long before = staged.size();
                if (range != null && range.start() != before) {
                    throw new RangeNotSatisfiableException(before);
                }
                staged.requireRoomFor(expected);
                UploadWrite write = new UploadWrite(session.id(), staged, before, expected, new UploadWrite.Ending() {
                    @Override
                    public long finish(StagedBlob blob) throws IOException {
                        return finish.finish(blob, before);
                    }

                    @Override
                    public void abandon(StagedBlob blob) throws IOException {
                        // Also a full disk (507): cutting the bytes of this request frees their space at once.
                        blob.rollBack(before);
                    }
                }, done -> known.writer.compareAndSet(done, null), pushedBytes);
                known.writer.set(write);
                return write;
            } catch (IOException | RuntimeException e) {
                staged.close();
                throw e;
            }
        }
    }

    /** What the end of a body does with the upload's staged bytes, which held {@code before} bytes before it. */
    private interface Finish {
        long finish(StagedBlob staged, long before) throws IOException;
    }

    /** An upload session: its id and the repository it pushes into. */
    private record Session(String id, long repositoryId, RepositoryName name) {
    }

    /** An upload known to this process: the repository it belongs to, and the request writing to it, if any. */
    private static final class Live {
        private final RepositoryName name;
        private final AtomicReference<UploadWrite> writer = new AtomicReference<>();

        Live(RepositoryName name) {
            this.name = name;
        }

        RepositoryName name() {
            return name;
        }

        void takeOver(String why) {
            UploadWrite previous = writer.getAndSet(null);
            if (previous != null) {
                previous.abandon(why);
            }
        }
    }

    private Session require(RepositoryName name, String id) {
        return (isUploadId(id) ? records.sessionRepositoryId(id, name) : Optional.<Long>empty())
                .map(repositoryId -> new Session(id, repositoryId, name))
                .orElseThrow(() -> new OciException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + shorten(id) + " is not known",
                        Map.of("uuid", shorten(id))));
    }

    private StagedBlob resume(Session session) throws IOException {
        return store.resume(StagingName.of(session.id())).orElseThrow(() -> gone(session.id()));
    }

    private static OciException gone(String id) {
        return new OciException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + id + " has no data any more");
    }

    private Live known(Session session) {
        return live.computeIfAbsent(session.id(), k -> new Live(session.name()));
    }

    static boolean isUploadId(String id) {
        return id != null && id.length() == 36 && id.matches("[a-f0-9-]{36}");
    }

    private static String shorten(String id) {
        return id == null ? "" : id.length() > 64 ? id.substring(0, 64) : id;
    }
}
