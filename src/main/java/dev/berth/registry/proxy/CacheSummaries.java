package dev.berth.registry.proxy;

import dev.berth.oci.RepositoryName;
import dev.berth.registry.metadata.ProxyCacheRows;
import java.net.URI;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** What the web UI shows of a proxied repository: its upstream, how full that upstream's cache is, and how it has served. */
@Component
public class CacheSummaries {

    /**
     * @param upstream    the upstream's name (the prefix)
     * @param origin      scheme, host and port of its URL only (never a user name a URL might hold)
     * @param cachedBytes what the upstream's cached manifests hold, as max-bytes counts it
     * @param hits        since this server started: served from the cache, fetched, served stale, failed
     */
    public record Summary(String upstream, String origin, boolean mirror, long cachedBytes, long maxBytes, long hits, long misses,
                          long stale, long errors) {
    }

    private final Upstreams upstreams;
    private final ProxyCacheRows rows;
    private final ProxyMeters meters;

    CacheSummaries(Upstreams upstreams, ProxyCacheRows rows, ProxyMeters meters) {
        this.upstreams = upstreams;
        this.rows = rows;
        this.meters = meters;
    }

    /** Empty for a repository that is no upstream's. */
    public Optional<Summary> of(RepositoryName name) {
        return upstreams.route(name).map(route -> {
            Upstreams.ConnectedUpstream upstream = route.upstream();
            return new Summary(upstream.name(), origin(upstream.settings().url()), upstream.settings().mirror(),
                    rows.cachedBytes(upstream.name()), upstream.settings().maxBytes().toBytes(),
                    meters.total(upstream, ProxyMeters.Result.HIT), meters.total(upstream, ProxyMeters.Result.MISS),
                    meters.total(upstream, ProxyMeters.Result.STALE), meters.total(upstream, ProxyMeters.Result.ERROR));
        });
    }

    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }
}
