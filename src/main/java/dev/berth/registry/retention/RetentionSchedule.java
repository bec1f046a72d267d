package dev.berth.registry.retention;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs the rules every {@code berth.retention-interval}; with no rules a tick does nothing. */
@Component
class RetentionSchedule {

    private static final Logger log = LoggerFactory.getLogger(RetentionSchedule.class);

    private final Retention retention;

    RetentionSchedule(Retention retention) {
        this.retention = retention;
    }

    @Scheduled(initialDelayString = "${berth.retention-interval:1h}", fixedDelayString = "${berth.retention-interval:1h}")
    void scheduled() {
        try {
            if (!retention.rules().isEmpty()) {
                retention.run(Retention.SCHEDULE, "");
            }
        } catch (RuntimeException e) {
            log.warn("retention run failed; the next tick tries again", e);
        }
    }
}
