package dev.berth.registry.manifest;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.ParsedManifest;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.gc.ReviewQueue;
import dev.berth.registry.metadata.ManifestRecords;
import dev.berth.registry.metadata.ManifestRecords.Reference;
import dev.berth.registry.metadata.DescriptorKind;
import dev.berth.registry.metadata.RepositoryEntity;
import dev.berth.registry.metadata.StoredManifest;
import dev.berth.registry.metadata.Transactions;
import dev.berth.registry.repository.RepositoryService;
import dev.berth.registry.metadata.StatsRows;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;

/** Manifests and tags: push, pull, delete, list, referrers. */
@Service
public class ManifestService {

    /** What the media type of a layer that may not be pushed contains (OCI's non-distributable layers). */
    private static final String NONDISTRIBUTABLE = ".nondistributable.";

    private final ManifestRecords records;
    private final RepositoryService repositories;
    private final Transactions transactions;
    private final StatsRows stats;
    private final ReviewQueue reviews;
    private final ImmutableTags immutableTags;
    private final Clock clock;

    ManifestService(ManifestRecords records, RepositoryService repositories, Transactions transactions, StatsRows stats,
                    ReviewQueue reviews, ImmutableTags immutableTags, Clock clock) {
        this.reviews = reviews;
        this.records = records;
        this.repositories = repositories;
        this.transactions = transactions;
        this.stats = stats;
        this.immutableTags = immutableTags;
        this.clock = clock;
    }

    /** The outcome of a push: the manifest's digest, the tags now on it, its subject if any. */
    public record Pushed(Digest digest, List<Tag> tags, Digest subject) {
    }

    /**
     * Stores a manifest exactly as sent, after checking that everything it points at is in the
     * repository, and moves its tag and {@code extraTags} onto it.
     *
     * @param inSameTransaction run in the push's transaction (its audit row), so that it is kept
     *                          exactly when the push is, and one commit serves both
     */
    public Pushed push(RepositoryName name, ManifestReference reference, byte[] body, MediaType contentType,
                       List<Tag> extraTags, Consumer<Pushed> inSameTransaction) {
        return store(name, reference, body, contentType, extraTags, inSameTransaction, true);
    }

    /**
     * Stores a manifest a pull-through cache fetched from its upstream, exactly as sent, and moves the
     * tag (if the reference is one) onto it. Unlike a push, what it points at need not be stored yet
     * (blobs and child manifests are fetched when they are pulled), and immutable-tag rules do not
     * apply (the upstream decides what its tags point at).
     */
    public Pushed cache(RepositoryName name, ManifestReference reference, byte[] body, MediaType contentType) {
        return store(name, reference, body, contentType, List.of(), pushed -> { }, false);
    }

    private Pushed store(RepositoryName name, ManifestReference reference, byte[] body, MediaType contentType,
                         List<Tag> extraTags, Consumer<Pushed> inSameTransaction, boolean pushed) {
        ParsedManifest parsed = ManifestParser.parse(body, contentType);
        Digest.Algorithm algorithm = reference instanceof ManifestReference.ByDigest d
                ? d.digest().algorithm() : Digest.Algorithm.SHA256;
        Digest digest = Digest.fromHash(algorithm, algorithm.newMessageDigest().digest(body));
        if (reference instanceof ManifestReference.ByDigest d && !d.digest().equals(digest)) {
            throw new OciException(OciErrorCode.DIGEST_INVALID,
                    "manifest digest is " + digest + ", not " + d.digest(), Map.of("digest", d.digest().toString()));
        }
        List<Tag> tagsToSet = new ArrayList<>();
        if (reference instanceof ManifestReference.ByTag t) {
            tagsToSet.add(t.tag());
        }
        extraTags.stream().filter(t -> !tagsToSet.contains(t)).forEach(tagsToSet::add);

        Pushed stored = new Pushed(digest, tagsToSet, parsed.subject() == null ? null : parsed.subject().digest());
        Instant now = clock.instant();
        // A delete of the repository that commits first: the push runs again into a fresh one (where its blobs are not linked).
        repositories.intoRepository(name, repositoryId -> transactions.retryingOnConflict(() -> {
            stats.lockStanding(repositoryId);
            Optional<Long> found = records.manifestId(repositoryId, digest);
            long manifestId = found.orElseGet(() -> {
                repositories.requireQuotaRoom(repositoryId, digest, body.length);
                return insert(repositoryId, digest, parsed, body, now);
            });
            if (pushed) {
                requireReferencedContent(repositoryId, manifestId, name, parsed);
                immutableTags.checkPush(repositoryId, name, tagsToSet, digest);
            }
            if (found.isEmpty() && tagsToSet.isEmpty()) {
                reviews.manifestUntagged(repositoryId, digest);
            }
            int created = 0;
            for (Tag tag : tagsToSet) {
                reviews.tagLeaving(repositoryId, tag, manifestId);
                if (records.setTag(repositoryId, tag, manifestId, now)) {
                    created++;
                }
            }
            stats.pushed(repositoryId, found.isPresent() ? 0 : 1, tagsToSet.size(), created, now);
            inSameTransaction.accept(stored);
            return manifestId;
        }));
        return stored;
    }

    private long insert(long repositoryId, Digest digest, ParsedManifest parsed, byte[] body, Instant now) {
        List<Reference> rows = new ArrayList<>();
        if (parsed.config() != null) {
            rows.add(row(DescriptorKind.CONFIG, parsed.config()));
        }
        for (Descriptor layer : parsed.layers()) {
            rows.add(row(DescriptorKind.LAYER, layer));
        }
        for (Descriptor child : parsed.manifests()) {
            rows.add(row(DescriptorKind.CHILD, child));
        }
        return records.insert(repositoryId, digest, parsed.mediaType(), parsed.effectiveArtifactType(),
                parsed.subject() == null ? null : parsed.subject().digest(), body, now, rows);
    }

    private static Reference row(DescriptorKind kind, Descriptor d) {
        return new Reference(kind, d.digest(), d.mediaType(), d.size());
    }

    /**
     * Every blob and child manifest must be in the repository; a missing {@code subject} is
     * allowed. Checked against the manifest's rows of {@code manifest_references}, in the push's
     * transaction (a refusal rolls them back): one set-based query each, whatever the number of
     * layers, and the same check for a manifest that was stored before (its blobs may have been
     * deleted since). Layers that clients fetch from elsewhere (Windows base layers) are never pushed.
     */
    private void requireReferencedContent(long repositoryId, long manifestId, RepositoryName name, ParsedManifest parsed) {
        if (parsed.config() != null) {
            records.firstUnlinkedBlob(repositoryId, manifestId, MediaType.DOCKER_FOREIGN_LAYER, NONDISTRIBUTABLE)
                    .ifPresent(d -> {
                        throw blobUnknown("blob " + d + " is not in repository " + name, d);
                    });
        }
        if (!parsed.manifests().isEmpty()) {
            records.firstMissingChild(repositoryId, manifestId).ifPresent(d -> {
                throw blobUnknown("manifest " + d + " is not in repository " + name, d);
            });
        }
    }

    private static OciException blobUnknown(String message, Digest digest) {
        return new OciException(OciErrorCode.MANIFEST_BLOB_UNKNOWN, message, Map.of("digest", digest.toString()));
    }

    /** The stored manifest for a tag or digest, or {@code MANIFEST_UNKNOWN}. */
    public StoredManifest get(RepositoryName name, ManifestReference reference) {
        var found = reference instanceof ManifestReference.ByTag t
                ? records.byTag(name, t.tag())
                : records.byDigest(name, ((ManifestReference.ByDigest) reference).digest());
        return found.orElseThrow(() -> new OciException(OciErrorCode.MANIFEST_UNKNOWN,
                "manifest " + reference + " is not in repository " + name, Map.of("name", name.value(), "reference", reference.toString())));
    }

    /**
     * Deletes a tag (only that tag), or a manifest together with every tag pointing at it.
     *
     * @param inSameTransaction run in the delete's transaction when something was deleted (its audit row)
     */
    public void delete(RepositoryName name, ManifestReference reference, Runnable inSameTransaction) {
        RepositoryEntity repository = repositories.find(name).orElseThrow(() -> new OciException(
                OciErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in repository " + name));
        // Retried like a push: on H2 a delete can wait past the lock timeout behind GC and pushes.
        boolean deleted = transactions.retryingOnConflict(() -> {
            stats.lock(repository.id());
            if (reference instanceof ManifestReference.ByTag t) {
                return deleteTagLocked(repository, name, t.tag(), inSameTransaction);
            }
            Digest digest = ((ManifestReference.ByDigest) reference).digest();
            immutableTags.checkManifestDelete(repository.id(), name, digest);
            records.manifestId(repository.id(), digest).ifPresent(reviews::manifestDeleting);
            OptionalInt removedTags = records.deleteManifest(repository.id(), digest);
            if (removedTags.isEmpty()) {
                return false;
            }
            stats.deleted(repository.id(), 1, removedTags.getAsInt());
            inSameTransaction.run();
            return true;
        });
        if (!deleted) {
            throw new OciException(OciErrorCode.MANIFEST_UNKNOWN, "manifest " + reference + " is not in repository " + name);
        }
    }

    /**
     * Deletes the tag as {@link #delete} does, but only while it still points at {@code expected}
     * (checked under the repository's lock, so a push that moved it since is never undone).
     *
     * @return whether the tag was deleted
     */
    public boolean deleteTagAt(RepositoryName name, Tag tag, Digest expected, Runnable inSameTransaction) {
        Optional<RepositoryEntity> repository = repositories.find(name);
        return repository.isPresent() && transactions.retryingOnConflict(() -> {
            stats.lock(repository.get().id());
            if (!records.byTag(name, tag).map(StoredManifest::digest).filter(expected::equals).isPresent()) {
                return false;
            }
            return deleteTagLocked(repository.get(), name, tag, inSameTransaction);
        });
    }

    private boolean deleteTagLocked(RepositoryEntity repository, RepositoryName name, Tag tag, Runnable inSameTransaction) {
        immutableTags.checkTagDelete(repository.id(), name, tag);
        reviews.tagLeaving(repository.id(), tag, -1);
        int removed = records.deleteTag(repository.id(), tag);
        stats.deleted(repository.id(), 0, removed);
        if (removed > 0) {
            inSameTransaction.run();
        }
        return removed > 0;
    }

    /** One page of a repository's tags, after {@code last} (exclusive), or {@code NAME_UNKNOWN}. */
    public List<String> tagPage(RepositoryName name, String last, int limit) {
        long repositoryId = repositories.requireId(name);
        return limit == 0 ? List.of() : records.tagPage(repositoryId, last == null ? "" : last, limit);
    }

    /** The children of a stored index that its repository holds (an index may name platforms it does not carry). */
    public List<Digest> storedChildren(StoredManifest index) {
        return records.storedChildren(index.id());
    }

    /** Manifests in the repository whose subject is {@code subject}. */
    public List<StoredManifest> referrers(RepositoryName name, Digest subject) {
        return records.referrers(name, subject);
    }
}
