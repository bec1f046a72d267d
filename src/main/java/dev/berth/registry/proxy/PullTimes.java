package dev.berth.registry.proxy;

import dev.berth.registry.metadata.ProxyCacheRows;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * When cached manifests were last pulled: kept in memory as pulls happen (a pull writes nothing)
 * and written in one batch before each eviction pass and at shutdown. A crash loses the pulls since
 * the last pass; their manifests then look older to eviction than they are, nothing worse.
 */
@Component
class PullTimes implements DisposableBean {

    private final ProxyCacheRows rows;
    private final Clock clock;
    private final Map<Long, Instant> pending = new ConcurrentHashMap<>();

    PullTimes(ProxyCacheRows rows, Clock clock) {
        this.rows = rows;
        this.clock = clock;
    }

    void pulled(long manifestId) {
        pending.put(manifestId, clock.instant());
    }

    /** Writes the pulls recorded so far; those recorded meanwhile wait for the next flush. */
    void flush() {
        Map<Long, Instant> batch = new HashMap<>();
        for (Long id : pending.keySet()) {
            Instant at = pending.remove(id);
            if (at != null) {
                batch.put(id, at);
            }
        }
        if (!batch.isEmpty()) {
            rows.recordPulls(batch);
        }
    }

    @Override
    public void destroy() {
        flush();
    }
}
