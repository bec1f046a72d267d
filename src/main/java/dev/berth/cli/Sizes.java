package dev.berth.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Sizes and ages the way docker prints them: {@code 4.26MB}, {@code 3 days ago}. */
final class Sizes {

    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB"};

    private Sizes() {
    }

    static String human(long bytes) {
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        String number = String.format(Locale.ROOT, unit == 0 ? "%.0f" : "%.3g", value);
        if (number.contains(".")) {
            number = number.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return number + UNITS[unit];
    }

    static String ago(Instant then, Instant now) {
        if (then == null) {
            return "N/A";
        }
        Duration d = Duration.between(then, now);
        if (d.isNegative() || d.toSeconds() < 1) {
            return "Less than a second ago";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return plural(s, "second");
        }
        if (s < 3600) {
            return plural(s / 60, "minute");
        }
        if (s < 2 * 86400) {
            return plural(s / 3600, "hour");
        }
        if (s < 14 * 86400) {
            return plural(s / 86400, "day");
        }
        if (s < 60 * 86400) {
            return plural(s / (7 * 86400), "week");
        }
        if (s < 2 * 365 * 86400) {
            return plural(s / (30 * 86400), "month");
        }
        return plural(s / (365 * 86400), "year");
    }

    private static String plural(long n, String unit) {
        return (n == 1 ? (unit.equals("hour") ? "An" : "1") : Long.toString(n)) + " " + unit + (n == 1 ? "" : "s") + " ago";
    }
}
