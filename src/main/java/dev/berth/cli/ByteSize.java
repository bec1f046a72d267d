package dev.berth.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Docker's memory sizes: a number with an optional binary unit b, k, m or g ({@code 16m} is 16 MiB). */
final class ByteSize {

    private static final Pattern GRAMMAR = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([bkmg]?)b?");

    private ByteSize() {
    }

    static long parse(String text) {
        Matcher m = GRAMMAR.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size " + text + ": expected a number with an optional unit b, k, m or g");
        }
        long unit = switch (m.group(2)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            default -> 1;
        };
        return (long) (Double.parseDouble(m.group(1)) * unit);
    }
}
