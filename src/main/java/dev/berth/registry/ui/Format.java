package dev.berth.registry.ui;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How numbers, digests and times read on a page. Templates call these as {@code ${fmt.bytes(n)}}. */
public final class Format {

    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final Clock clock;

    Format(Clock clock) {
        this.clock = clock;
    }

    /** Decimal units, as docker and the Hub show sizes: 1 kB = 1000 B. */
    public String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        double v = n;
        int unit = 0;
        while (v >= 1000 && unit < UNITS.length - 1) {
            v /= 1000;
            unit++;
        }
        return (v < 10 ? String.format("%.2f", v) : v < 100 ? String.format("%.1f", v) : String.format("%.0f", v)) + " " + UNITS[unit];
    }

    /** A size difference: {@code +1.20 MB}, {@code −300 B}. */
    public String signedBytes(long n) {
        return (n < 0 ? "−" : "+") + bytes(Math.abs(n));
    }

    /** {@code sha256:0123456789ab}: enough to tell digests apart on a page. */
    public String shortDigest(String digest) {
        if (digest == null) {
            return "";
        }
        int colon = digest.indexOf(':');
        return digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }

    /** A piece of text as {@link #digestParts} cuts it: plain {@code text}, or a whole {@code digest}. */
    public record Part(String text, String digest) {
    }

    private static final java.util.regex.Pattern DIGEST = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");

    /**
     * Text cut around the digests it holds, so that a page shows each digest short (its full value
     * in a title, with a copy button) and the rest as it is: audit targets and details.
     */
    public java.util.List<Part> digestParts(String text) {
        java.util.List<Part> parts = new java.util.ArrayList<>();
        if (text == null) {
            return parts;
        }
        java.util.regex.Matcher m = DIGEST.matcher(text);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                parts.add(new Part(text.substring(at, m.start()), null));
            }
            parts.add(new Part(null, m.group()));
            at = m.end();
        }
        if (at < text.length()) {
            parts.add(new Part(text.substring(at), null));
        }
        return parts;
    }

    public String time(Instant instant) {
        return instant == null ? "" : UTC.format(instant);
    }

    public String isoTime(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    /** "3 minutes ago", "2 days ago"; the exact time goes in a title or {@code <time>} next to it. */
    public String ago(Instant instant) {
        if (instant == null) {
            return "never";
        }
        long s = Math.max(0, Duration.between(instant, clock.instant()).toSeconds());
        if (s < 60) {
            return "just now";
        }
        long[] limits = {3600, 86400, 86400 * 30L, 86400 * 365L, Long.MAX_VALUE};
        long[] units = {60, 3600, 86400, 86400 * 30L, 86400 * 365L};
        String[] names = {"minute", "hour", "day", "month", "year"};
        for (int i = 0; i < units.length; i++) {
            if (s < limits[i]) {
                long n = s / units[i];
                return n + " " + names[i] + (n == 1 ? "" : "s") + " ago";
            }
        }
        return UTC.format(instant);
    }

    /** {@code drwxr-xr-x}-style mode, with s/S and t/T for setuid, setgid and sticky. */
    public String mode(char type, int mode) {
        char[] out = new char[10];
        out[0] = type;
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            out[i + 1] = (mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-';
        }
        if ((mode & 04000) != 0) {
            out[3] = out[3] == 'x' ? 's' : 'S';
        }
        if ((mode & 02000) != 0) {
            out[6] = out[6] == 'x' ? 's' : 'S';
        }
        if ((mode & 01000) != 0) {
            out[9] = out[9] == 'x' ? 't' : 'T';
        }
        return new String(out);
    }

    /** An exec-form command as a Dockerfile writes it: {@code ["sh", "-c", "echo hi"]}; "—" when empty. */
    public String command(java.util.List<String> args) {
        if (args == null || args.isEmpty()) {
            return "—";
        }
        StringBuilder out = new StringBuilder("[");
        for (String a : args) {
            out.append(out.length() == 1 ? "" : ", ").append('"').append(a.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append(']').toString();
    }

    public String number(long n) {
        return String.format("%,d", n);
    }
}
