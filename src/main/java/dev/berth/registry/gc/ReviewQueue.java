package dev.berth.registry.gc;

import dev.berth.oci.Digest;
import dev.berth.oci.Tag;
import dev.berth.registry.metadata.GcReviews;
import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * What the services call, inside the transaction that drops a reference, to have its target
 * reviewed when due: blobs after {@code berth.gc.review-delay}, untagged manifests after
 * {@code berth.gc.untagged-manifests-after} (not queued at all when that is unset).
 */
@Component
public class ReviewQueue {

    private final GcReviews reviews;
    private final GcProperties properties;
    private final Clock clock;

    public ReviewQueue(GcReviews reviews, GcProperties properties, Clock clock) {
        this.reviews = reviews;
        this.properties = properties;
        this.clock = clock;
    }

    /** A repository now links the blob (an upload or a mount): gone after the delay unless a manifest references it. */
    public void blobLinked(Digest digest) {
        Instant now = clock.instant();
        reviews.queueBlob(digest, now.plus(properties.reviewDelay()), now);
    }

    /** A repository no longer links the blob. */
    public void blobUnlinked(Digest digest) {
        blobLinked(digest);
    }

    /** A manifest was stored without a tag. */
    public void manifestUntagged(long repositoryId, Digest digest) {
        if (properties.removesUntaggedManifests()) {
            Instant now = clock.instant();
            reviews.queueManifest(repositoryId, digest, now.plus(properties.untaggedManifestsAfter()), now);
        }
    }

    /** The tag is about to move to {@code manifestId} or (with -1) be deleted: the manifest it leaves. */
    public void tagLeaving(long repositoryId, Tag tag, long manifestId) {
        if (properties.removesUntaggedManifests()) {
            Instant now = clock.instant();
            reviews.queueTagTarget(repositoryId, tag, manifestId, now.plus(properties.untaggedManifestsAfter()), now);
        }
    }

    /** The manifest is about to be deleted: its blobs, its children and its referrers. */
    public void manifestDeleting(long manifestId) {
        Instant now = clock.instant();
        reviews.queueBlobsOf(manifestId, now.plus(properties.reviewDelay()), now);
        if (properties.removesUntaggedManifests()) {
            reviews.queueManifestsKeptBy(manifestId, now.plus(properties.untaggedManifestsAfter()), now);
        }
    }
}
