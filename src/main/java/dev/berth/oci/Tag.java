package dev.berth.oci;

import java.util.regex.Pattern;

/** A tag such as {@code 1.36} or {@code latest}: at most 128 characters of the OCI tag grammar. */
public record Tag(String value) implements Comparable<Tag> {

    private static final Pattern GRAMMAR = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Tag {
        if (value == null || !GRAMMAR.matcher(value).matches()) {
            throw new OciException(OciErrorCode.TAG_INVALID, "invalid tag: " + shorten(value));
        }
    }

    public static Tag of(String value) {
        return new Tag(value);
    }

    public static boolean isValid(String value) {
        return value != null && GRAMMAR.matcher(value).matches();
    }

    @Override
    public int compareTo(Tag o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String shorten(String s) {
        if (s == null) {
            return "(none)";
        }
        return s.length() > 140 ? s.substring(0, 140) + "…" : s;
    }
}
