package dev.berth.registry.upload;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.metadata.BlobRecords;
import dev.berth.registry.metadata.Transactions;
import dev.berth.registry.repository.RepositoryService;
import dev.berth.registry.storage.BlobStore;
import dev.berth.registry.storage.StagedBlob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * Blob uploads: monolithic, chunked and streamed, resumable through their session. A session's
 * offset is the size of its staged file; every step that fails rolls the file back to where the
 * step began, so a client can always resume from the offset it is told.
 */
@Service
public class UploadService {

    private static final Logger log = LoggerFactory.getLogger(UploadService.class);

    private final BlobRecords records;
    private final BlobStore store;
    private final RepositoryService repositories;
    private final Transactions transactions;
    private final Clock clock;
    /**
     * The uploads this process has started or served, with their repository. Each is also the lock that
     * lets one request at a time work on the upload (a second one waits for the first), and it lets a
     * cancel go ahead when the database cannot say whose upload it is.
     */
    private final ConcurrentMap<String, Live> live = new ConcurrentHashMap<>();
    /** Counted where bytes are kept, so no request has to ask for an upload's size just to count them. */
    private final Counter pushedBytes;

    UploadService(BlobRecords records, BlobStore store, RepositoryService repositories, Transactions transactions, Clock clock,
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
        long repositoryId = repositories.getOrCreateId(name);
        String id = UUID.randomUUID().toString();
        store.stage(id).close();
        live.put(id, new Live(name));
        records.insertSession(id, repositoryId, clock.instant());
        return id;
    }

    /** How many bytes the upload holds. */
    public long status(RepositoryName name, String id) throws IOException {
        Session session = require(name, id);
        synchronized (lock(session)) {
            try (StagedBlob staged = resume(session)) {
                return staged.size();
            }
        }
    }

    /**
     * Appends one chunk ({@code range} given) or a stream ({@code range} null).
     *
     * @param declaredLength the request's Content-Length, or -1 when it sent none
     * @return the upload's size afterwards
     */
    public long append(RepositoryName name, String id, InputStream body, long declaredLength, ContentRange range) throws IOException {
        Session session = require(name, id);
        synchronized (lock(session)) {
            try (StagedBlob staged = resume(session)) {
                long before = staged.size();
                appendChecked(staged, body, declaredLength, range);
                long size = staged.size();
                try {
                    records.recordProgress(id, size, clock.instant());
                } catch (RuntimeException e) {
                    // Not acknowledged, so not kept: the client resumes from the offset it knew.
                    staged.rollBack(before);
                    throw e;
                }
                return size;
            }
        }
    }

    /**
     * Finishes an upload: appends the final chunk if any, checks the digest and stores the blob.
     * A digest mismatch ends the session, as in distribution: its bytes are of no further use.
     */
    public long complete(RepositoryName name, String id, Digest digest, InputStream body, long declaredLength, ContentRange range)
            throws IOException {
        Session session = require(name, id);
        synchronized (lock(session)) {
            long size;
            try (StagedBlob staged = resume(session)) {
                if (declaredLength != 0) {
                    appendChecked(staged, body, declaredLength, range);
                }
                try {
                    size = staged.commit(digest);
                } catch (OciException e) {
                    end(id);
                    throw e;
                }
            }
            // The blob's rows and the session's end commit together: one transaction, not three.
            transactions.jdbcRetryingOnConflict(() -> {
                repositories.recordAndLinkInTransaction(session.repositoryId(), digest, size);
                records.deleteSession(id);
                return null;
            });
            live.remove(id);
            return size;
        }
    }

    /** A whole blob in one request (POST with {@code ?digest=}, or a monolithic PUT). */
    public long putWhole(RepositoryName name, Digest digest, InputStream body, long declaredLength) throws IOException {
        long repositoryId = repositories.getOrCreateId(name);
        String id = UUID.randomUUID().toString();
        long size;
        try (StagedBlob staged = store.stage(id)) {
            appendChecked(staged, body, declaredLength, null);
            size = staged.commit(digest);
        } finally {
            store.discard(id);
        }
        repositories.recordAndLink(repositoryId, digest, size);
        return size;
    }

    /**
     * Cancels an upload and removes its bytes. The bytes go first and without the database: when
     * the database cannot answer (a full disk closed it), an upload this process knows to be the
     * repository's is still removed, and its row is left for the purger.
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
        synchronized (lock(session)) {
            store.discard(id);
            live.remove(id);
            try {
                records.deleteSession(id);
            } catch (DataAccessException e) {
                log.warn("upload {} is cancelled and its bytes removed, its session row stays until it expires: {}", id, e.toString());
            }
        }
    }

    /** Ends a session: its staged bytes, its row, its lock. Also used to expire stale sessions. */
    void end(String id) throws IOException {
        store.discard(id);
        records.deleteSession(id);
        live.remove(id);
    }

    private void appendChecked(StagedBlob staged, InputStream body, long declaredLength, ContentRange range) throws IOException {
        long before = staged.size();
        if (range != null && range.start() != before) {
            throw new RangeNotSatisfiableException(before);
        }
        if (range != null && declaredLength >= 0 && declaredLength != range.length()) {
            throw new OciException(OciErrorCode.SIZE_INVALID,
                    "Content-Length " + declaredLength + " does not match Content-Range " + range.start() + "-" + range.end());
        }
        long appended;
        try {
            appended = staged.append(body, declaredLength);
        } catch (IOException | RuntimeException e) {
            // Also a full disk (507): cutting the bytes of this step frees their space at once.
            staged.rollBack(before);
            throw e;
        }
        long expected = range != null ? range.length() : declaredLength;
        if (expected >= 0 && appended != expected) {
            staged.rollBack(before);
            throw new OciException(OciErrorCode.SIZE_INVALID,
                    "received " + appended + " bytes, but the request announced " + expected);
        }
        pushedBytes.increment(appended);
    }

    /** An upload session: its id and the repository it pushes into. */
    private record Session(String id, long repositoryId, RepositoryName name) {
    }

    /** An upload known to this process: the repository it belongs to. */
    private record Live(RepositoryName name) {
    }

    private Session require(RepositoryName name, String id) {
        return (isUploadId(id) ? records.sessionRepositoryId(id, name.value()) : Optional.<Long>empty())
                .map(repositoryId -> new Session(id, repositoryId, name))
                .orElseThrow(() -> new OciException(OciErrorCode.BLOB_UPLOAD_UNKNOWN, "upload " + shorten(id) + " is not known",
                        Map.of("uuid", shorten(id))));
    }

    private StagedBlob resume(Session session) throws IOException {
        return store.resume(session.id()).orElseThrow(() -> new OciException(OciErrorCode.BLOB_UPLOAD_UNKNOWN,
                "upload " + session.id() + " has no data any more"));
    }

    private Object lock(Session session) {
        return live.computeIfAbsent(session.id(), k -> new Live(session.name()));
    }

    static boolean isUploadId(String id) {
        return id != null && id.length() == 36 && id.matches("[a-f0-9-]{36}");
    }

    private static String shorten(String id) {
        return id == null ? "" : id.length() > 64 ? id.substring(0, 64) : id;
    }
}
