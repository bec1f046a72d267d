package dev.berth.registry.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A value that is costly to compute and may be a little old: the first reader computes it, later
 * readers get the last value at once, and a reader that finds it older than {@code maxAge} starts
 * one recomputation on {@code executor} (never more than one at a time) and still gets the old
 * value. No page ever waits for it, except the very first.
 */
final class RefreshingValue<T> {

    private record Snapshot<T>(T value, Instant at) {
    }

    private final Supplier<T> compute;
    private final Duration maxAge;
    private final Clock clock;
    private final Executor executor;
    private final AtomicReference<Snapshot<T>> last = new AtomicReference<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    RefreshingValue(Supplier<T> compute, Duration maxAge, Clock clock, Executor executor) {
        this.compute = compute;
        this.maxAge = maxAge;
        this.clock = clock;
        this.executor = executor;
    }

    T get() {
        Snapshot<T> s = last.get();
        if (s == null) {
            synchronized (this) {
                s = last.get();
                if (s == null) {
                    s = new Snapshot<>(compute.get(), clock.instant());
                    last.set(s);
                }
            }
            return s.value();
        }
        if (!s.at().plus(maxAge).isAfter(clock.instant()) && refreshing.compareAndSet(false, true)) {
            try {
                executor.execute(this::refresh);
            } catch (RuntimeException e) {
                refreshing.set(false); // rejected (shutting down): the old value stays
            }
        }
        return s.value();
    }

    private void refresh() {
        try {
            Instant at = clock.instant();
            last.set(new Snapshot<>(compute.get(), at));
        } finally {
            refreshing.set(false);
        }
    }
}
