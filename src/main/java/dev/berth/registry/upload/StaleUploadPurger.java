package dev.berth.registry.upload;

import dev.berth.content.ContentStore;
import dev.berth.content.StagingName;
import dev.berth.registry.RegistryProperties;
import dev.berth.registry.metadata.UploadSessions;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Cancels uploads nobody has touched for {@code berth.uploads.expire-after}, and removes staged
 * files that belong to no session (left by a crash, or by a whole-blob push that was cut off).
 */
@Component
class StaleUploadPurger {

    private static final Logger log = LoggerFactory.getLogger(StaleUploadPurger.class);

    private final UploadSessions sessions;
    private final UploadService uploads;
    private final ContentStore store;
    private final RegistryProperties properties;
    private final Clock clock;

    StaleUploadPurger(UploadSessions sessions, UploadService uploads, ContentStore store,
                      RegistryProperties properties, Clock clock) {
        this.sessions = sessions;
        this.uploads = uploads;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${berth.uploads.purge-interval:10m}", fixedDelayString = "${berth.uploads.purge-interval:10m}")
    void purge() {
        purgeOlderThan(clock.instant().minus(properties.uploads().expireAfter()));
    }

    /** @return how many sessions and orphan files were removed */
    int purgeOlderThan(Instant cutoff) {
        int removed = 0;
        for (String id : sessions.findIdsUntouchedSince(cutoff)) {
            try {
                uploads.end(id);
                removed++;
            } catch (IOException | RuntimeException e) {
                log.warn("could not remove stale upload {}: {}", id, e.toString());
            }
        }
        try {
            for (StagingName staged : store.stagedUntouchedSince(cutoff)) {
                if (!sessions.existsById(staged.value())) {
                    store.discard(staged);
                    removed++;
                }
            }
        } catch (IOException e) {
            log.warn("could not list staged uploads: {}", e.toString());
        }
        if (removed > 0) {
            log.info("removed {} stale uploads", removed);
        }
        return removed;
    }
}
