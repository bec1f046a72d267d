package dev.berth.registry.auth;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Slows, then refuses, sign-ins from an address that keeps failing them: after
 * {@code slowAfter} failures within the window each attempt waits, after {@code refuseAfter} it is
 * refused until the oldest failure leaves the window. Kept in memory: each server counts its own.
 */
@Component
public class LoginThrottle {

    private static final int TRACKED_AT_MOST = 100_000;

    private final AuthProperties.LoginThrottle settings;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    LoginThrottle(AuthProperties properties) {
        this.settings = properties.loginThrottle();
    }

    /** Thrown instead of checking credentials from an address that failed too often. */
    public static final class TooManyFailures extends RuntimeException {

        private final Duration retryAfter;

        TooManyFailures(Duration retryAfter) {
            super("too many failed sign-ins from this address; try again in " + retryAfter.toSeconds() + " s");
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /**
     * Call before checking credentials: waits when the address is being slowed.
     *
     * @throws TooManyFailures when the address is refused for now
     */
    public void beforeAttempt(String address) {
        int recent;
        long now = System.nanoTime();
        Deque<Long> times = failures.get(address);
        if (times == null) {
            return;
        }
        long oldest;
        synchronized (times) {
            prune(times, now);
            recent = times.size();
            oldest = recent == 0 ? now : times.peekFirst();
        }
        if (recent >= settings.refuseAfter()) {
            long left = settings.window().toNanos() - (now - oldest);
            throw new TooManyFailures(Duration.ofNanos(Math.max(left, 1_000_000_000L)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1));
        }
        if (recent >= settings.slowAfter()) {
            try {
                Thread.sleep(settings.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How long {@code address} must wait before it may try again; empty when it may try now. */
    public Optional<Duration> refusedFor(String address) {
        Deque<Long> times = failures.get(address);
        if (times == null) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        synchronized (times) {
            prune(times, now);
            if (times.size() < settings.refuseAfter()) {
                return Optional.empty();
            }
            long left = settings.window().toNanos() - (now - times.peekFirst());
            return Optional.of(Duration.ofNanos(Math.max(left, 0)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1));
        }
    }

    public void failed(String address) {
        if (failures.size() >= TRACKED_AT_MOST) {
            failures.clear();
        }
        Deque<Long> times = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
        long now = System.nanoTime();
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
        }
    }

    public void succeeded(String address) {
        failures.remove(address);
    }

    private void prune(Deque<Long> times, long now) {
        long window = settings.window().toNanos();
        while (!times.isEmpty() && now - times.peekFirst() > window) {
            times.removeFirst();
        }
    }
}
