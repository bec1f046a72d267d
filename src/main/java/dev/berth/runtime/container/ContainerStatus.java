package dev.berth.runtime.container;

import java.time.Duration;
import java.time.Instant;

/**
 * The STATUS and CREATED columns of {@code ps} in docker's words: {@code Up 3 seconds},
 * {@code Exited (0) 5 minutes ago}, {@code Created}, {@code 2 hours ago}. The durations follow
 * docker's go-units {@code HumanDuration}, so scripts that read docker's columns read these.
 */
public final class ContainerStatus {

    private ContainerStatus() {
    }

    /**
     * @param exitCode the recorded exit code, or null when it is not known (the supervisor died
     *                 and the OCI runtime no longer knows the container)
     * @param since    when the container started (running) or exited (exited)
     */
    public static String status(ContainerState state, Integer exitCode, Instant since, Instant now) {
        return switch (state) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + humanDuration(Duration.between(since, now));
            case EXITED -> "Exited (" + (exitCode == null ? "unknown" : exitCode) + ") "
                    + humanDuration(Duration.between(since, now)) + " ago";
            case REMOVING -> "Removal In Progress";
        };
    }

    /** STATUS of a container its restart policy is about to start again, as docker words it. */
    public static String restarting(Integer exitCode, Instant finished, Instant now) {
        return "Restarting (" + (exitCode == null ? "unknown" : exitCode) + ") " + humanDuration(Duration.between(finished, now)) + " ago";
    }

    /** The CREATED column. */
    public static String created(Instant created, Instant now) {
        return humanDuration(Duration.between(created, now)) + " ago";
    }

    /** go-units {@code HumanDuration}: the coarsest unit that still says something; a clock skew reads as less than a second. */
    static String humanDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = seconds / 60;
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = Math.round(d.toMillis() / 3_600_000.0); // go-units rounds hours to the nearest
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return seconds / 3600 / 24 / 365 + " years";
    }
}
