package dev.berth.registry.repository;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.metadata.BlobEntity;
import dev.berth.registry.metadata.BlobLinkEntity;
import dev.berth.registry.metadata.BlobLinks;
import dev.berth.registry.metadata.Blobs;
import dev.berth.registry.metadata.Repositories;
import dev.berth.registry.metadata.RepositoryEntity;
import dev.berth.registry.metadata.Transactions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;

/** Repositories and the blobs each one may serve. */
@Service
public class RepositoryService {

    private final Repositories repositories;
    private final Blobs blobs;
    private final BlobLinks links;
    private final Transactions transactions;
    private final RepositoryStats stats;
    private final Clock clock;

    RepositoryService(Repositories repositories, Blobs blobs, BlobLinks links, Transactions transactions, RepositoryStats stats,
                      Clock clock) {
        this.repositories = repositories;
        this.blobs = blobs;
        this.links = links;
        this.transactions = transactions;
        this.stats = stats;
        this.clock = clock;
    }

    public Optional<RepositoryEntity> find(RepositoryName name) {
        return repositories.findByName(name.value());
    }

    /** The repository, or {@code NAME_UNKNOWN}. */
    public RepositoryEntity require(RepositoryName name) {
        return find(name).orElseThrow(() -> new OciException(OciErrorCode.NAME_UNKNOWN,
                "repository " + name + " is not known", java.util.Map.of("name", name.value())));
    }

    /** The repository, created if this is the first push into it. */
    public RepositoryEntity getOrCreate(RepositoryName name) {
        return find(name).orElseGet(() -> transactions.retryingOnConflict(() -> repositories.findByName(name.value())
                .orElseGet(() -> {
                    RepositoryEntity created = repositories.saveAndFlush(new RepositoryEntity(name.value(), clock.instant()));
                    stats.created(created.id(), created.name());
                    return created;
                })));
    }

    /** The blob, when this repository links it. */
    public Optional<BlobEntity> linkedBlob(RepositoryName name, Digest digest) {
        return blobs.findLinked(name.value(), digest.toString());
    }

    /** Records a committed blob (once) and links it to the repository (once). */
    public void recordAndLink(long repositoryId, Digest digest, long size) {
        String key = digest.toString();
        transactions.retryingOnConflict(() -> {
            if (!blobs.existsById(key)) {
                blobs.saveAndFlush(new BlobEntity(key, size, clock.instant()));
            }
            if (!links.isLinked(repositoryId, key)) {
                links.saveAndFlush(new BlobLinkEntity(repositoryId, key, clock.instant()));
                stats.linked(repositoryId, key);
            }
            return null;
        });
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
        recordAndLink(getOrCreate(target).id(), digest, blob.get().size());
        return true;
    }

    /** Removes a blob from a repository: it stays stored while other repositories link it. */
    public void unlink(RepositoryName name, Digest digest) {
        RepositoryEntity repository = find(name).orElseThrow(() -> blobUnknown(digest));
        int removed = transactions.inTransaction(() -> {
            int n = links.unlink(repository.id(), digest.toString());
            if (n > 0) {
                stats.unlinked(repository.id(), digest.toString());
            }
            return n;
        });
        if (removed == 0) {
            throw blobUnknown(digest);
        }
    }

    /** Of {@code digests}, those the repository links. */
    public List<String> linkedAmong(long repositoryId, List<String> digests) {
        return digests.isEmpty() ? List.of() : blobs.linkedAmong(repositoryId, digests);
    }

    /** One page of the catalog, after {@code last} (exclusive). */
    public List<String> catalog(String last, int limit) {
        return repositories.catalogPage(last == null ? "" : last, Limit.of(limit));
    }

    private static OciException blobUnknown(Digest digest) {
        return new OciException(OciErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in this repository",
                java.util.Map.of("digest", digest.toString()));
    }
}
