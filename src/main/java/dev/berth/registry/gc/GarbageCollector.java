package dev.berth.registry.gc;

import dev.berth.content.ContentStore;
import dev.berth.oci.Digest;
import dev.berth.registry.metadata.GcReviews;
import dev.berth.registry.metadata.GcReviews.Review;
import dev.berth.registry.metadata.GcRows;
import dev.berth.registry.metadata.GcRunRows;
import dev.berth.registry.metadata.ManifestRecords;
import dev.berth.registry.metadata.StatsRows;
import dev.berth.registry.metadata.Transactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Takes due reviews, one transaction each, and deletes what nothing references any more. Every
 * check runs again under the lock that keeps it true until the commit; rows go before the file,
 * and the file is deleted while the blob's row lock is still held, so an upload of the same
 * digest waits and then finds the file gone and stores its own bytes (see
 * {@code BlobRecords.holdBlob}). A crash before the commit leaves the review and the row: the
 * review is taken again. Workers of several servers skip each other's reviews.
 */
@Component
class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
    /** The most reviews one run takes, so a long queue still lets a run end. */
    private static final int REVIEWS_PER_RUN = 100_000;

    private final GcReviews reviews;
    private final GcRows rows;
    private final ManifestRecords manifests;
    private final StatsRows stats;
    private final Transactions transactions;
    private final ContentStore store;
    private final GcProperties properties;
    private final Clock clock;
    private final GcRunRows runRows;
    private final Counter runs;
    private final Counter blobsDeleted;
    private final Counter bytesDeleted;
    private final Counter manifestsDeleted;
    /** Runs with the blob's rows deleted and its row lock held, just before its file goes (tests drive races here). */
    private volatile Runnable beforeFileDelete = () -> { };

    GarbageCollector(GcReviews reviews, GcRows rows, ManifestRecords manifests, StatsRows stats, Transactions transactions,
                     ContentStore store, GcProperties properties, Clock clock, MeterRegistry meters, GcRunRows runRows) {
        this.runRows = runRows;
        this.reviews = reviews;
        this.rows = rows;
        this.manifests = manifests;
        this.stats = stats;
        this.transactions = transactions;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        this.runs = Counter.builder("berth.gc.runs").description("GC runs").register(meters);
        this.blobsDeleted = Counter.builder("berth.gc.blobs.deleted").description("Blobs GC deleted (row and file)").register(meters);
        this.bytesDeleted = Counter.builder("berth.gc.bytes.deleted").description("Bytes of the blobs GC deleted").register(meters);
        this.manifestsDeleted = Counter.builder("berth.gc.manifests.deleted").description("Untagged manifests GC deleted")
                .register(meters);
        Gauge.builder("berth.gc.queue.depth", reviews, r -> r.depth()).description("Queued GC reviews, due or not").register(meters);
        Gauge.builder("berth.gc.review.lag.seconds", this, GarbageCollector::lagSeconds)
                .description("How long the longest-waiting due review has been due").register(meters);
    }

    /** What one run did. */
    record Run(int reviews, int blobsDeleted, long bytesDeleted, int manifestsDeleted) {
    }

    @Scheduled(initialDelayString = "${berth.gc.interval:1m}", fixedDelayString = "${berth.gc.interval:1m}")
    void scheduled() {
        if (properties.enabled()) {
            Run run = runOnce();
            if (run.blobsDeleted() + run.manifestsDeleted() > 0) {
                log.info("GC: {} reviews, deleted {} blobs ({} bytes) and {} manifests", run.reviews(), run.blobsDeleted(),
                        run.bytesDeleted(), run.manifestsDeleted());
            }
        }
    }

    /** Takes due reviews until none is due (or another worker holds the rest). */
    Run runOnce() {
        return runOnce(REVIEWS_PER_RUN);
    }

    /**
     * What {@link #runOnce()} would do now: the same reviews in one transaction that is then rolled
     * back, with no file touched and nothing counted or recorded (berth gc --dry-run). Its locks are
     * held until the end, so servers on the same database wait for it meanwhile.
     */
    Run dryRun() {
        try {
            transactions.inTransaction(() -> {
                throw new RolledBack(pass(REVIEWS_PER_RUN, true));
            });
            throw new IllegalStateException("a dry run did not roll back");
        } catch (RolledBack done) {
            return done.run;
        }
    }

    /** Carries a dry run's outcome out of the transaction it rolls back. */
    private static final class RolledBack extends RuntimeException {
        private final transient Run run;

        RolledBack(Run run) {
            super(null, null, false, false);
            this.run = run;
        }
    }

    /** As {@link #runOnce()}, taking at most {@code maxReviews}. */
    Run runOnce(int maxReviews) {
        return pass(maxReviews, false);
    }

    /** Takes due reviews, each in a transaction of its own, or (dry) all in the caller's, deleting no file. */
    private Run pass(int maxReviews, boolean dry) {
        if (!dry) {
            runs.increment();
        }
        Instant started = clock.instant();
        int taken = 0;
        int[] deleted = new int[2];
        long[] bytes = new long[1];
        while (taken < maxReviews) {
            Review[] claimed = new Review[1];
            try {
                java.util.function.Supplier<Boolean> work = () -> {
                    Optional<Review> review = reviews.claimDue(clock.instant());
                    if (review.isEmpty()) {
                        return false;
                    }
                    claimed[0] = review.get();
                    Outcome outcome = review.get().kind() == GcReviews.Kind.BLOB ? reviewBlob(review.get(), dry) : reviewManifest(review.get());
                    if (outcome.postponeTo() != null) {
                        reviews.postpone(review.get().id(), outcome.postponeTo());
                    } else {
                        reviews.finish(review.get().id());
                    }
                    deleted[0] += outcome.blobs();
                    bytes[0] += outcome.bytes();
                    deleted[1] += outcome.manifests();
                    return true;
                };
                boolean any = dry ? transactions.joining(work) : transactions.inTransaction(work);
                if (!any) {
                    break;
                }
                taken++;
            } catch (RuntimeException e) {
                if (dry) {
                    throw e; // the whole dry run is one transaction: nothing to postpone
                }
                // A lock wait that timed out, a deadlock, a file that cannot be deleted: look again later.
                if (claimed[0] == null) {
                    log.warn("GC could not take a review: {}", e.toString());
                    break;
                }
                log.warn("GC review of {} failed, postponed: {}", claimed[0].digest(), e.toString());
                try {
                    transactions.inTransaction(() -> {
                        reviews.postpone(claimed[0].id(), clock.instant().plus(properties.interval()));
                        return null;
                    });
                } catch (RuntimeException again) {
                    log.warn("GC could not postpone the review of {}: {}", claimed[0].digest(), again.toString());
                    break;
                }
            }
        }
        if (dry) {
            return new Run(taken, deleted[0], bytes[0], deleted[1]);
        }
        blobsDeleted.increment(deleted[0]);
        bytesDeleted.increment(bytes[0]);
        manifestsDeleted.increment(deleted[1]);
        if (taken > 0) {
            try {
                runRows.record(new GcRunRows.GcRun(started, clock.instant(), taken, deleted[0], deleted[1], bytes[0]));
            } catch (RuntimeException e) {
                log.warn("GC could not record its run: {}", e.toString());
            }
        }
        return new Run(taken, deleted[0], bytes[0], deleted[1]);
    }

    /** What a review did: deleted blobs (bytes) and manifests, or when to look again. */
    private record Outcome(int blobs, long bytes, int manifests, Instant postponeTo) {
        static final Outcome DONE = new Outcome(0, 0, 0, null);
    }

    /**
     * A blob: its links that are older than the review delay and that no manifest of their
     * repository references go (under that repository's stats lock, which manifest pushes take
     * first); with no link left and no manifest referencing it anywhere, its rows go, then its file.
     */
    private Outcome reviewBlob(Review review, boolean dry) {
        Digest digest = review.digest();
        Optional<Long> size = rows.lockBlob(digest);
        if (size.isEmpty()) {
            return Outcome.DONE;
        }
        Instant now = clock.instant();
        Instant youngAfter = now.minus(properties.reviewDelay());
        Instant postpone = null;
        int kept = 0;
        for (GcRows.Link link : rows.links(digest)) {
            if (link.linkedAt().isAfter(youngAfter)) {
                Instant due = link.linkedAt().plus(properties.reviewDelay());
                postpone = postpone == null || due.isBefore(postpone) ? due : postpone;
                kept++;
                continue;
            }
            // A committed reference keeps the link; if a delete removes it meanwhile, that delete queues another review.
            // Only a link that looks unreferenced takes the repository's lock (which pushes hold) and is checked again.
            if (rows.referencedIn(link.repositoryId(), digest)) {
                kept++;
                continue;
            }
            stats.lock(link.repositoryId());
            if (rows.referencedIn(link.repositoryId(), digest)) {
                kept++;
                continue;
            }
            rows.deleteLink(link.repositoryId(), digest);
            stats.unlinked(link.repositoryId(), digest);
        }
        if (kept > 0) {
            return new Outcome(0, 0, 0, postpone);
        }
        if (rows.referencedAnywhere(digest)) {
            return Outcome.DONE;
        }
        rows.deleteBlob(digest);
        if (dry) {
            return new Outcome(1, size.get(), 0, null);
        }
        beforeFileDelete.run();
        try {
            store.delete(digest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the file of " + digest, e);
        }
        return new Outcome(1, size.get(), 0, null);
    }

    /** An untagged manifest that no stored index has as a child and whose subject is not stored, old enough. */
    private Outcome reviewManifest(Review review) {
        if (!properties.removesUntaggedManifests()) {
            return Outcome.DONE;
        }
        stats.lock(review.repositoryId());
        Optional<GcRows.ManifestState> found = rows.manifest(review.repositoryId(), review.digest());
        if (found.isEmpty()) {
            return Outcome.DONE;
        }
        GcRows.ManifestState m = found.get();
        if (m.tagged() || m.childOfIndex() || m.subjectStored()) {
            return Outcome.DONE;
        }
        Instant now = clock.instant();
        Instant oldEnough = m.pushedAt().plus(properties.untaggedManifestsAfter());
        if (oldEnough.isAfter(now)) {
            return new Outcome(0, 0, 0, oldEnough);
        }
        new ReviewQueue(reviews, properties, clock).manifestDeleting(m.id());
        manifests.deleteManifest(review.repositoryId(), review.digest());
        stats.deleted(review.repositoryId(), 1, 0);
        return new Outcome(0, 0, 1, null);
    }

    private double lagSeconds() {
        Instant now = clock.instant();
        return reviews.oldestDue(now).map(due -> (double) Duration.between(due, now).toMillis() / 1000).orElse(0.0);
    }

    void beforeFileDelete(Runnable hook) {
        this.beforeFileDelete = hook;
    }
}
