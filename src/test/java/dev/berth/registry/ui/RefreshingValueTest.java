package dev.berth.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RefreshingValueTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final Queue<Runnable> queued = new ArrayDeque<>();
    private final Executor later = queued::add;
    private final AtomicInteger computed = new AtomicInteger();
    private final RefreshingValue<Integer> value = new RefreshingValue<>(computed::incrementAndGet, Duration.ofSeconds(10), clock, later);

    @Test
    void theFirstReadComputesAndLaterReadsAreServedFromTheLastValue() {
        assertThat(value.get()).isEqualTo(1);
        clock.now = clock.now.plusSeconds(9);
        assertThat(value.get()).isEqualTo(1);
        assertThat(queued).isEmpty();
    }

    @Test
    void anOldValueIsServedWhileOneRecomputationRuns() {
        value.get();
        clock.now = clock.now.plusSeconds(10);

        assertThat(value.get()).isEqualTo(1);
        assertThat(value.get()).isEqualTo(1);
        assertThat(queued).hasSize(1); // one recomputation, however many readers
        queued.poll().run();

        assertThat(value.get()).isEqualTo(2);
        assertThat(queued).isEmpty(); // fresh again
        clock.now = clock.now.plusSeconds(10);
        value.get();
        assertThat(queued).hasSize(1);
    }

    @Test
    void aFailedRecomputationKeepsTheOldValueAndTriesAgainLater() {
        AtomicInteger calls = new AtomicInteger();
        RefreshingValue<Integer> flaky = new RefreshingValue<>(() -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("database away");
            }
            return calls.get();
        }, Duration.ofSeconds(10), clock, later);
        flaky.get();
        clock.now = clock.now.plusSeconds(11);
        flaky.get();
        Runnable failing = queued.poll();
        try {
            failing.run();
        } catch (IllegalStateException expected) {
            // the executor's thread would log it
        }

        assertThat(flaky.get()).isEqualTo(1);
        queued.poll().run();
        assertThat(flaky.get()).isEqualTo(3);
    }
}
