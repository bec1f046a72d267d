package dev.berth.registry.metadata;

import java.util.Locale;

/** Search text as a LIKE pattern ({@code escape '\'}): LIKE's own wildcards in the text match literally. */
final class LikePatterns {

    private LikePatterns() {
    }

    /** Names are lower case, so their search is too. */
    static String lowerCase(String query) {
        if (query == null || query.isBlank()) {
            return "%";
        }
        return contains(query.trim().toLowerCase(Locale.ROOT));
    }

    /** Tags are case-sensitive, so their search is too. */
    static String caseSensitive(String query) {
        if (query == null || query.isBlank()) {
            return "%";
        }
        return contains(query.trim());
    }

    private static String contains(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
