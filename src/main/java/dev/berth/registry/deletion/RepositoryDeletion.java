package dev.berth.registry.deletion;

import dev.berth.content.ContentStore;
import dev.berth.content.StagingName;
import dev.berth.oci.Digest;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.gc.ReviewQueue;
import dev.berth.registry.manifest.ImmutableTags;
import dev.berth.registry.metadata.BlobRecords;
import dev.berth.registry.metadata.QuotaRows;
import dev.berth.registry.metadata.RepositoryRemoval;
import dev.berth.registry.metadata.StatsRows;
import dev.berth.registry.metadata.Transactions;
import dev.berth.registry.repository.RepositoryService;
import dev.berth.registry.upload.UploadService;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Deletes a whole repository: its tags, manifests and upload sessions go, its blob links go and
 * each of its blobs is queued for GC review in the same transaction (the blobs no other
 * repository links are then removed when due), and its name is free again.
 */
@Service
public class RepositoryDeletion {

    private static final Logger log = LoggerFactory.getLogger(RepositoryDeletion.class);

    /** What a delete removed. */
    public record Deleted(RepositoryName name, int tags, int manifests, int blobLinks, int uploads) {
        @Override
        public String toString() {
            return tags + " tags, " + manifests + " manifests, " + blobLinks + " blob links, " + uploads + " uploads";
        }
    }

    private final RepositoryService repositories;
    private final RepositoryRemoval removal;
    private final BlobRecords blobs;
    private final StatsRows stats;
    private final ReviewQueue reviews;
    private final ImmutableTags immutableTags;
    private final UploadService uploads;
    private final ContentStore store;
    private final Transactions transactions;
    private final QuotaRows quotas;

    RepositoryDeletion(RepositoryService repositories, RepositoryRemoval removal, BlobRecords blobs, StatsRows stats,
                       ReviewQueue reviews, ImmutableTags immutableTags, UploadService uploads, ContentStore store,
                       Transactions transactions, QuotaRows quotas) {
        this.quotas = quotas;
        this.repositories = repositories;
        this.removal = removal;
        this.blobs = blobs;
        this.stats = stats;
        this.reviews = reviews;
        this.immutableTags = immutableTags;
        this.uploads = uploads;
        this.store = store;
        this.transactions = transactions;
    }

    /**
     * Deletes the repository, or refuses: {@code NAME_UNKNOWN} when there is none, {@code DENIED}
     * naming the rule and the tag when an immutable-tag rule protects one of its tags.
     *
     * @param inSameTransaction run in the delete's transaction (its audit row)
     */
    public Deleted delete(RepositoryName name, java.util.function.Consumer<Deleted> inSameTransaction) throws IOException {
        long id = repositories.requireId(name);
        // Uploads first, through the upload service: a request still writing to one is stopped and its bytes go.
        for (String upload : removal.uploadSessions(id)) {
            try {
                uploads.cancel(name, upload);
            } catch (OciException e) {
                // ended meanwhile
            }
        }
        List<String> lateUploads = new java.util.ArrayList<>();
        Deleted deleted = transactions.inTransaction(() -> {
            stats.lock(id); // as manifest pushes and deletes: they run before or after this, never during
            List<Tag> tags = removal.tags(id);
            immutableTags.checkRepositoryDelete(name, tags);
            int links = 0;
            for (Digest digest : removal.linkedBlobs(id)) {
                blobs.lockBlob(digest); // first, as GC and uploads take it
                if (removal.unlink(id, digest)) {
                    stats.unlinked(id, digest); // other repositories' shared and owned bytes move
                    reviews.blobUnlinked(digest);
                    links++;
                }
            }
            lateUploads.clear();
            lateUploads.addAll(removal.uploadSessions(id)); // started since: cascaded away with the row
            // The manifests go by cascade: their bytes leave the namespace's quota use here (the links went one by one above).
            quotas.repositoryDropping(id);
            int manifests = removal.delete(id);
            Deleted d = new Deleted(name, tags.size(), manifests, links, lateUploads.size());
            inSameTransaction.accept(d);
            return d;
        });
        for (String upload : lateUploads) {
            try {
                store.discard(StagingName.of(upload));
            } catch (IOException e) {
                log.warn("staged upload {} of deleted repository {} stays until stale uploads are purged: {}", upload, name, e.toString());
            }
        }
        return deleted;
    }
}
