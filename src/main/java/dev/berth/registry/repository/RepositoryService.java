package dev.berth.registry.repository;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.gc.ReviewQueue;
import dev.berth.registry.metadata.BlobEntity;
import dev.berth.registry.metadata.BlobLinks;
import dev.berth.registry.metadata.BlobRecords;
import dev.berth.registry.metadata.Blobs;
import dev.berth.registry.metadata.CatalogRows;
import dev.berth.registry.metadata.Repositories;
import dev.berth.registry.metadata.RepositoryEntity;
import dev.berth.registry.metadata.RepositoryGoneException;
import dev.berth.registry.metadata.StatsRows;
import dev.berth.registry.metadata.Transactions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Repositories and the blobs each one may serve. */
@Service
public class RepositoryService {

    private final Repositories repositories;
    private final Blobs blobs;
    private final BlobLinks links;
    private final BlobRecords records;
    private final Transactions transactions;
    private final StatsRows stats;
    private final CatalogRows catalog;
    private final ReviewQueue reviews;
    private final Quotas quotas;
    private final Clock clock;

    RepositoryService(Repositories repositories, Blobs blobs, BlobLinks links, BlobRecords records, Transactions transactions,
                      StatsRows stats, CatalogRows catalog, ReviewQueue reviews, Quotas quotas, Clock clock) {
        this.reviews = reviews;
        this.quotas = quotas;
        this.repositories = repositories;
        this.blobs = blobs;
        this.links = links;
        this.records = records;
        this.transactions = transactions;
        this.stats = stats;
        this.catalog = catalog;
        this.clock = clock;
    }

    public Optional<RepositoryEntity> find(RepositoryName name) {
        return repositories.findByName(name.value());
    }

    /** Whether the repository is stored (it may hold nothing listed yet: see {@link #catalog}). */
    public boolean exists(RepositoryName name) {
        return records.repositoryId(name).isPresent();
    }

    /** The repository's id (plain SQL, for the hot paths), or {@code NAME_UNKNOWN}. */
    public long requireId(RepositoryName name) {
        return records.repositoryId(name).orElseThrow(() -> new OciException(OciErrorCode.NAME_UNKNOWN,
                "repository " + name + " is not known", java.util.Map.of("name", name.value())));
    }

    /** The repository's id, the repository created if this is the first push into it. */
    public long getOrCreateId(RepositoryName name) {
        return records.repositoryId(name).orElseGet(() -> transactions.retryingOnConflict(() -> {
            boolean inserted = records.insertRepository(name, clock.instant());
            long id = records.repositoryId(name).orElseThrow();
            if (inserted) {
                stats.created(id, name);
            }
            return id;
        }));
    }

    /** The blob, when this repository links it. */
    public Optional<BlobEntity> linkedBlob(RepositoryName name, Digest digest) {
        return blobs.findLinked(name.value(), digest.toString());
    }

    /** Records a committed blob (once) and links it to the repository (once), in one transaction. */
    public void recordAndLink(long repositoryId, Digest digest, long size) {
        transactions.retryingOnConflict(() -> {
            recordAndLinkInTransaction(repositoryId, digest, size);
            return null;
        });
    }

    /**
     * As {@link #recordAndLink}, inside the caller's retried transaction (an upload's completion
     * also ends its session there); the repository's stats and its namespace's usage move with the
     * link, and a link past the namespace's quota is refused ({@link Quotas}).
     */
    public void recordAndLinkInTransaction(long repositoryId, Digest digest, long size) {
        requireStandingForLink(repositoryId, digest);
        if (records.recordAndLink(repositoryId, digest, size, clock.instant())) {
            quotas.requireWithin(stats.linked(repositoryId, digest));
        }
        // Reviewed after berth.gc.review-delay: gone then unless a manifest references it.
        reviews.blobLinked(digest);
    }

    /**
     * Links a blob whose row the caller's transaction holds ({@code BlobRecords.holdBlob}: an
     * upload's completion) to the repository; the stats and the namespace's usage move with the
     * link, a link past the namespace's quota is refused ({@code DENIED}: the caller's transaction
     * rolls back), and the blob is reviewed after the GC review delay.
     */
    public void linkHeldInTransaction(long repositoryId, Digest digest) {
        requireStandingForLink(repositoryId, digest);
        if (records.linkHeld(repositoryId, digest, clock.instant())) {
            quotas.requireWithin(stats.linked(repositoryId, digest));
        }
        reviews.blobLinked(digest);
    }

    /**
     * Before a new link: the repository's stats lock, as a whole-repository delete takes it first,
     * so the link is written and counted before that delete reads the links or after it committed
     * (then {@link RepositoryGoneException}, not a foreign-key failure nor a link the cascade
     * removes uncounted). Taken after the blob's row lock, in the order the link's stats update
     * takes them anyway; a link that is already there needs no lock (a delete unlinks it under the
     * blob's lock, which this transaction holds).
     */
    private void requireStandingForLink(long repositoryId, Digest digest) {
        if (!records.isLinked(repositoryId, digest)) {
            stats.lockStanding(repositoryId);
        }
    }

    /** In a push's transaction: the repository's stats lock, or {@link RepositoryGoneException} when it was deleted meanwhile. */
    public void lockStanding(long repositoryId) {
        stats.lockStanding(repositoryId);
    }

    /**
     * Runs a push's {@code work} on the repository's id, creating the repository if needed; when a
     * concurrent whole-repository delete removed it meanwhile, runs it again on a fresh one of the
     * same name (a few times, then {@code NAME_UNKNOWN}: deletes keep coming).
     */
    public <T> T intoRepository(RepositoryName name, java.util.function.LongFunction<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.apply(getOrCreateId(name));
            } catch (RepositoryGoneException e) {
                if (attempt >= 3) {
                    throw new OciException(OciErrorCode.NAME_UNKNOWN, "repository " + name + " was deleted while this request ran",
                            Map.of("name", name.value()));
                }
            }
        }
    }

    /**
     * Refuses, in a manifest push's transaction and before its row is written, a manifest that
     * would take its namespace past its quota (see {@link Quotas#requireRoom}).
     */
    public void requireQuotaRoom(long repositoryId, Digest manifest, long size) {
        quotas.requireRoom(repositoryId, manifest, size);
    }

    /**
     * Links a blob that is already stored into {@code target}: from {@code source} when given (only
     * if that repository links it), else from wherever it is stored.
     *
     * @return whether the blob is now linked into {@code target}
     */
    public boolean mount(RepositoryName target, Digest digest, Optional<RepositoryName> source) {
        Optional<BlobEntity> blob = source.isPresent()
                ? linkedBlob(source.get(), digest)
                : blobs.findById(digest.toString());
        if (blob.isEmpty()) {
            return false;
        }
        // Under the blob's row lock, as GC deletes it: a row GC removed meanwhile is not brought back.
        return intoRepository(target, targetId -> transactions.retryingOnConflict(() -> {
            Optional<Long> size = records.lockBlob(digest);
            if (size.isEmpty()) {
                return false;
            }
            linkHeldInTransaction(targetId, digest);
            return true;
        }));
    }

    /**
     * Removes a blob from a repository: it stays stored while other repositories link it.
     *
     * @param inSameTransaction run in the unlink's transaction when the link was there (its audit row)
     */
    public void unlink(RepositoryName name, Digest digest, Runnable inSameTransaction) {
        RepositoryEntity repository = find(name).orElseThrow(() -> blobUnknown(digest));
        int removed = transactions.retryingOnConflict(() -> {
            records.lockBlob(digest); // first, as GC and uploads take it: no deadlock with them
            int n = links.unlink(repository.id(), digest.toString());
            if (n > 0) {
                stats.unlinked(repository.id(), digest);
                reviews.blobUnlinked(digest);
                inSameTransaction.run();
            }
            return n;
        });
        if (removed == 0) {
            throw blobUnknown(digest);
        }
    }

    /** One page of the catalog, after {@code last} (exclusive): the repositories holding a manifest. */
    public List<String> catalog(String last, int limit) {
        return repositories.catalogPage(last == null ? "" : last, limit);
    }

    /**
     * As {@link #catalog(String, int)}, cut down by an SQL condition on {@code r.name} (from the
     * access policy) in the query, so that pages stay full.
     */
    public List<String> catalog(String last, int limit, String condition, Map<String, Object> parameters) {
        return catalog.v2Page(last, limit, condition, parameters).stream().map(RepositoryName::value).toList();
    }

    private static OciException blobUnknown(Digest digest) {
        return new OciException(OciErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in this repository",
                java.util.Map.of("digest", digest.toString()));
    }
}
