package dev.berth.registry.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code berth_proxy_requests_total{upstream,result}} (hit: served from the cache; miss: fetched
 * from the upstream; stale: the upstream failed and the cached copy was served; error: the upstream
 * failed and nothing was cached), {@code berth_proxy_upstream_bytes_total{upstream}} and
 * {@code berth_proxy_evictions_total{upstream}} (cached manifests max-bytes evicted).
 */
@Component
class ProxyMeters {

    enum Result { HIT, MISS, STALE, ERROR }

    private final MeterRegistry meters;

    ProxyMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    /** How often the upstream's cache did {@code result} since this server started. */
    long total(Upstreams.ConnectedUpstream upstream, Result result) {
        Counter counter = meters.find("berth.proxy.requests").tag("upstream", upstream.name())
                .tag("result", result.name().toLowerCase(java.util.Locale.ROOT)).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    void count(Upstreams.ConnectedUpstream upstream, Result result) {
        Counter.builder("berth.proxy.requests").description("Pulls of proxied repositories, by what the cache did")
                .tag("upstream", upstream.name()).tag("result", result.name().toLowerCase(java.util.Locale.ROOT))
                .register(meters).increment();
    }

    void fetched(Upstreams.ConnectedUpstream upstream, long bytes) {
        Counter.builder("berth.proxy.upstream.bytes").description("Bytes fetched from upstream registries").baseUnit("bytes")
                .tag("upstream", upstream.name()).register(meters).increment(bytes);
    }

    void evicted(Upstreams.ConnectedUpstream upstream) {
        Counter.builder("berth.proxy.evictions").description("Cached manifests evicted to keep an upstream within max-bytes")
                .tag("upstream", upstream.name()).register(meters).increment();
    }
}
