package dev.berth.oci;

import java.util.regex.Pattern;

/**
 * A repository name such as {@code team/app}: lower-case path components joined by {@code /}, each
 * matching the OCI grammar. The grammar admits no {@code .} or {@code ..} component and no leading
 * {@code /}, so a valid name can never climb out of a directory it is joined to.
 */
public record RepositoryName(String value) implements Comparable<RepositoryName> {

    /** Clients cap {@code host[:port]/name} at 255 characters; the name alone gets the same bound. */
    public static final int MAX_LENGTH = 255;

    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    private static final Pattern GRAMMAR = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");

    public RepositoryName {
        if (value == null || value.isEmpty()) {
            throw new OciException(OciErrorCode.NAME_INVALID, "a repository name is required");
        }
        if (value.length() > MAX_LENGTH) {
            throw new OciException(OciErrorCode.NAME_INVALID,
                    "repository name is longer than " + MAX_LENGTH + " characters");
        }
        if (!GRAMMAR.matcher(value).matches()) {
            throw new OciException(OciErrorCode.NAME_INVALID, "invalid repository name: " + shorten(value),
                    java.util.Map.of("name", shorten(value)));
        }
    }

    public static RepositoryName of(String value) {
        return new RepositoryName(value);
    }

    public static boolean isValid(String value) {
        return value != null && !value.isEmpty() && value.length() <= MAX_LENGTH && GRAMMAR.matcher(value).matches();
    }

    @Override
    public int compareTo(RepositoryName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }

    private static String shorten(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
