package dev.berth.registry.proxy;

import dev.berth.oci.ManifestReference;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.manifest.ManifestService;
import dev.berth.registry.metadata.ProxyCacheRows;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps each upstream's cache within its {@code max-bytes}: every {@code berth.proxy.eviction-interval},
 * while the bytes its cached manifests hold exceed the limit, the least recently pulled manifest
 * goes (an index before the manifests it lists). It goes as a manifest delete does, so GC then frees
 * its blobs after {@code berth.gc.review-delay}, and only those that nothing else references: a blob
 * that pushed content shares stays. The next pull of an evicted manifest fetches it again.
 */
@Component
class CacheEviction {

    private static final Logger log = LoggerFactory.getLogger(CacheEviction.class);
    static final String ACTOR = "proxy max-bytes eviction";
    /** The most manifests one pass looks at per upstream (two queries each); a bigger excess takes several passes. */
    private static final int CANDIDATES_PER_PASS = 1000;

    private final Upstreams upstreams;
    private final ProxyCacheRows rows;
    private final ManifestService manifests;
    private final PullTimes pullTimes;
    private final ProxyMeters meters;
    private final AuditLog audit;

    CacheEviction(Upstreams upstreams, ProxyCacheRows rows, ManifestService manifests, PullTimes pullTimes, ProxyMeters meters,
                  AuditLog audit) {
        this.upstreams = upstreams;
        this.rows = rows;
        this.manifests = manifests;
        this.pullTimes = pullTimes;
        this.meters = meters;
        this.audit = audit;
    }

    @Scheduled(initialDelayString = "${berth.proxy.eviction-interval:1m}", fixedDelayString = "${berth.proxy.eviction-interval:1m}")
    void scheduled() {
        if (upstreams.all().isEmpty()) {
            return;
        }
        try {
            runOnce();
        } catch (RuntimeException e) {
            // A database that is briefly away: the next pass tries again.
            log.warn("proxy eviction pass failed: {}", e.toString());
        }
    }

    /** One pass over every upstream; the number of manifests evicted. */
    int runOnce() {
        pullTimes.flush();
        int evicted = 0;
        for (Upstreams.ConnectedUpstream upstream : upstreams.all()) {
            evicted += evict(upstream);
        }
        return evicted;
    }

    private int evict(Upstreams.ConnectedUpstream upstream) {
        long limit = upstream.settings().maxBytes().toBytes();
        long cached = rows.cachedBytes(upstream.name());
        if (cached <= limit) {
            return 0;
        }
        // Again, now: every pull before the bytes were counted is in the order below.
        pullTimes.flush();
        int evicted = 0;
        Set<ProxyCacheRows.Candidate> kept = new HashSet<>();
        for (int looked = 0; cached > limit && looked < CANDIDATES_PER_PASS; looked++) {
            // Asked again after each delete: an evicted index's children are candidates now, in their place.
            Optional<ProxyCacheRows.Candidate> next = rows.leastRecentlyPulled(upstream.name(), kept.size() + 1).stream()
                    .filter(c -> !kept.contains(c)).findFirst();
            if (next.isEmpty()) {
                break;
            }
            if (delete(upstream, next.get(), cached, limit)) {
                evicted++;
                meters.evicted(upstream);
            } else {
                kept.add(next.get());
            }
            cached = rows.cachedBytes(upstream.name());
        }
        if (evicted > 0) {
            log.info("upstream {}: evicted {} cached manifests to keep within max-bytes {} ({} bytes cached now)", upstream.name(),
                    evicted, upstream.settings().maxBytes(), cached);
        }
        return evicted;
    }

    private boolean delete(Upstreams.ConnectedUpstream upstream, ProxyCacheRows.Candidate candidate, long cached, long limit) {
        ManifestReference.ByDigest reference = new ManifestReference.ByDigest(candidate.digest());
        try {
            manifests.delete(candidate.repository(), reference, () -> audit.record(ACTOR, AuditAction.MANIFEST_DELETE,
                    AuditLog.target(candidate.repository(), reference), null,
                    "upstream " + upstream.name() + " held " + cached + " bytes, max-bytes " + limit + "; last pulled "
                            + candidate.lastPulled()));
            return true;
        } catch (OciException e) {
            if (e.code() == OciErrorCode.MANIFEST_UNKNOWN || e.code() == OciErrorCode.DENIED) {
                // Gone meanwhile (another server's pass), or kept by an immutable-tag rule.
                return false;
            }
            throw e;
        }
    }
}
