package dev.berth.registry.proxy;

import dev.berth.client.ManifestHead;
import dev.berth.client.PulledManifest;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.manifest.ManifestService;
import dev.berth.registry.metadata.ManifestRecords;
import dev.berth.registry.metadata.StoredManifest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Manifests of proxied repositories: before a GET or HEAD is answered from the store, this makes
 * sure the store holds what the upstream has. By digest, a cached manifest is served without asking
 * (it cannot change); by tag, the upstream is asked with a HEAD at most once per
 * {@code manifest-check-interval}, and the manifest fetched only when the tag moved. When the
 * upstream fails, a cached copy is served (stale); without one, the upstream's answer is the error.
 * Concurrent requests for one reference wait for one upstream call.
 */
@Component
public class CachedManifests {

    private static final Logger log = LoggerFactory.getLogger(CachedManifests.class);

    private final Upstreams upstreams;
    private final ManifestService manifests;
    private final ManifestRecords records;
    private final ProxyMeters meters;
    private final Clock clock;
    private final PullTimes pullTimes;
    /** When each cached tag was last found current upstream, by this process (each replica checks on its own). */
    private final Map<String, Instant> checked = new ConcurrentHashMap<>();
    private final Object[] locks = new Object[256];

    CachedManifests(Upstreams upstreams, ManifestService manifests, ManifestRecords records, ProxyMeters meters, Clock clock,
                    PullTimes pullTimes) {
        this.upstreams = upstreams;
        this.pullTimes = pullTimes;
        this.manifests = manifests;
        this.records = records;
        this.meters = meters;
        this.clock = clock;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** Refuses a push into an upstream's namespace: its content is the upstream's. */
    public void refusePush(RepositoryName name) {
        upstreams.route(name).ifPresent(route -> {
            throw new OciException(dev.berth.oci.OciErrorCode.DENIED, name + " is in the namespace of upstream "
                    + route.upstream().name() + ", a pull-through cache: nothing can be pushed there");
        });
    }

    /**
     * For a name under an upstream's prefix, brings the cached manifest up to date before it is read;
     * for any other name, does nothing. Throws the upstream's failure when nothing is cached.
     */
    public void prepare(RepositoryName name, ManifestReference reference, HttpServletResponse response) {
        Optional<Upstreams.ProxiedRepository> route = upstreams.route(name);
        if (route.isEmpty()) {
            return;
        }
        String key = name + (reference instanceof ManifestReference.ByTag ? ":" : "@") + reference;
        synchronized (locks[Math.floorMod(key.hashCode(), locks.length)]) {
            prepare(route.get(), reference, key, response);
        }
    }

    /** Notes that a manifest of a proxied repository was pulled, for max-bytes eviction (least recently pulled first). */
    public void served(RepositoryName name, StoredManifest manifest) {
        if (upstreams.isProxied(name)) {
            pullTimes.pulled(manifest.id());
        }
    }

    private void prepare(Upstreams.ProxiedRepository route, ManifestReference reference, String key, HttpServletResponse response) {
        Upstreams.ConnectedUpstream upstream = route.upstream();
        Optional<StoredManifest> cached = reference instanceof ManifestReference.ByTag t
                ? records.byTag(route.localName(), t.tag())
                : records.byDigest(route.localName(), ((ManifestReference.ByDigest) reference).digest());
        Instant now = clock.instant();
        if (cached.isPresent() && (reference instanceof ManifestReference.ByDigest || isFresh(key, upstream, now))) {
            meters.count(upstream, ProxyMeters.Result.HIT);
            return;
        }
        try {
            if (cached.isPresent()) {
                ManifestHead head = UpstreamCalls.call(upstream, () -> upstream.client().checkManifest(route.upstreamName(), reference));
                if (head.digest().equals(cached.get().digest())) {
                    checked.put(key, now);
                    meters.count(upstream, ProxyMeters.Result.HIT);
                    return;
                }
            }
            PulledManifest pulled = UpstreamCalls.call(upstream, () -> upstream.client().pullManifest(route.upstreamName(), reference));
            manifests.cache(route.localName(), reference, pulled.bytes(), pulled.mediaType());
            meters.fetched(upstream, pulled.bytes().length);
            meters.count(upstream, ProxyMeters.Result.MISS);
            if (reference instanceof ManifestReference.ByTag) {
                checked.put(key, now);
            }
        } catch (OciException e) {
            if (cached.isPresent()) {
                log.warn("upstream {} failed for {}; serving the cached copy: {}", upstream.name(), key, e.getMessage());
                meters.count(upstream, ProxyMeters.Result.STALE);
                return;
            }
            meters.count(upstream, ProxyMeters.Result.ERROR);
            throw UpstreamCalls.forClient(upstream, e, response);
        }
    }

    private boolean isFresh(String key, Upstreams.ConnectedUpstream upstream, Instant now) {
        Instant last = checked.get(key);
        return last != null && !last.plus(upstream.settings().manifestCheckInterval()).isBefore(now);
    }
}
