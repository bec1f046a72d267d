package dev.berth.registry.retention;

import dev.berth.registry.manifest.RepositoryGlob;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A retention rule, checked and compiled. For a repository its glob matches, the rule keeps a tag
 * that {@code keepTags} matches or that is among its {@code keepLast} most recently pushed tags,
 * and would remove every other tag pushed longer than {@code olderThan} ago (every other tag when
 * {@code olderThan} is unset). A rule needs {@code keepLast} or {@code olderThan}: one with only
 * {@code keepTags} would remove nearly everything, which is refused as a likely mistake.
 *
 * @param storedId its row in {@code retention_rules}, or null for a rule of the configuration
 */
public record RetentionRule(String name, RepositoryGlob repositories, Integer keepLast, Pattern keepTags, Duration olderThan,
                            Long storedId, String createdBy) {

    /**
     * @param fields what messages put before a setting's name: {@code berth.retention[0].}, or empty for the web UI's form
     * @throws IllegalArgumentException with a message naming the rule when it cannot be used
     */
    static RetentionRule of(String name, String fields, String repositories, Integer keepLast, String keepTags, Duration olderThan,
                            Long storedId, String createdBy) {
        if (repositories == null || repositories.isBlank() || repositories.length() > 255) {
            throw new IllegalArgumentException(fields + "repositories is missing: a glob of repository names, such as team/**");
        }
        if (keepLast != null && keepLast < 0) {
            throw new IllegalArgumentException(fields + "keep-last is negative: " + keepLast);
        }
        if (olderThan != null && olderThan.isNegative()) {
            throw new IllegalArgumentException(fields + "older-than is negative: " + olderThan);
        }
        if (keepLast == null && olderThan == null) {
            String rule = fields.isEmpty() ? "a rule" : fields.substring(0, fields.length() - 1);
            throw new IllegalArgumentException(rule + " needs keep-last or older-than: with neither it would remove every tag"
                    + " keep-tags does not match");
        }
        Pattern pattern = null;
        if (keepTags != null && !keepTags.isEmpty()) {
            if (keepTags.length() > 255) {
                throw new IllegalArgumentException(fields + "keep-tags is longer than 255 characters");
            }
            try {
                pattern = Pattern.compile(keepTags);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(fields + "keep-tags is not a regular expression: " + e.getDescription()
                        + " in " + keepTags);
            }
        }
        return new RetentionRule(name, RepositoryGlob.of(repositories.strip()), keepLast, pattern, olderThan, storedId, createdBy);
    }

    /** The glob as written (for pages). */
    public String repositoryGlob() {
        return repositories.glob();
    }

    /** The keep-tags pattern as written, or an empty text. */
    public String keepTagsPattern() {
        return keepTags == null ? "" : keepTags.pattern();
    }

    @Override
    public String toString() {
        return name + " (repositories " + repositories + (keepLast == null ? "" : ", keep-last " + keepLast)
                + (keepTags == null ? "" : ", keep-tags " + keepTags.pattern())
                + (olderThan == null ? "" : ", older-than " + olderThan) + ")";
    }
}
