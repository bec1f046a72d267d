package dev.berth.runtime.container;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code run --restart}, as docker takes it: {@code no}, {@code on-failure[:N]} (a non-zero exit
 * restarts it, N times at most when N is given) or {@code always}. A container its user stopped is
 * not restarted, whatever the policy says.
 *
 * @param maximumRetries for on-failure, 0 for no limit
 */
public record RestartPolicy(Name name, int maximumRetries) {

    public enum Name { NO, ON_FAILURE, ALWAYS }

    public static final RestartPolicy NO = new RestartPolicy(Name.NO, 0);

    private static final Pattern ON_FAILURE = Pattern.compile("on-failure(?::([0-9]{1,9}))?");
    private static final Duration FIRST_DELAY = Duration.ofMillis(100);
    private static final Duration LONGEST_DELAY = Duration.ofSeconds(10);

    public RestartPolicy {
        if (maximumRetries < 0 || maximumRetries > 0 && name != Name.ON_FAILURE) {
            throw new IllegalArgumentException("maximum retry count is only for on-failure, and not negative");
        }
    }

    /** @throws IllegalArgumentException with docker's one-line reason for anything else */
    public static RestartPolicy parse(String text) {
        if (text == null || text.isEmpty() || text.equals("no")) {
            return NO;
        }
        if (text.equals("always")) {
            return new RestartPolicy(Name.ALWAYS, 0);
        }
        Matcher m = ON_FAILURE.matcher(text);
        if (m.matches()) {
            return new RestartPolicy(Name.ON_FAILURE, m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
        }
        if (text.startsWith("always:") || text.startsWith("no:")) {
            throw new IllegalArgumentException("invalid restart policy " + text + ": maximum retry count can only be used with on-failure");
        }
        throw new IllegalArgumentException("invalid restart policy " + text + ": expected no, on-failure[:N] or always");
    }

    /** Whether an exit with {@code exitCode} after {@code restarts} restarts so far is followed by another. */
    public boolean restarts(int exitCode, int restarts) {
        return switch (name) {
            case NO -> false;
            case ALWAYS -> true;
            case ON_FAILURE -> exitCode != 0 && (maximumRetries == 0 || restarts < maximumRetries);
        };
    }

    /** How long to wait before restart number {@code restarts + 1}: 100 ms, doubled each time, 10 s at most. */
    public static Duration delay(int restarts) {
        Duration d = FIRST_DELAY.multipliedBy(1L << Math.min(restarts, 20));
        return d.compareTo(LONGEST_DELAY) > 0 ? LONGEST_DELAY : d;
    }

    /** docker's form: {@code no}, {@code always}, {@code on-failure} or {@code on-failure:N}. */
    @Override
    public String toString() {
        return switch (name) {
            case NO -> "no";
            case ALWAYS -> "always";
            case ON_FAILURE -> maximumRetries == 0 ? "on-failure" : "on-failure:" + maximumRetries;
        };
    }
}
