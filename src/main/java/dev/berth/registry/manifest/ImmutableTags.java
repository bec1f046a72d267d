package dev.berth.registry.manifest;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.metadata.ImmutableTagRuleRows;
import dev.berth.registry.metadata.TagHolders;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.springframework.stereotype.Component;

/**
 * Immutable tags: a tag that a rule covers may be pushed once, and then neither moved to another
 * manifest nor deleted, nor may the manifest it holds be deleted (directly, or as the child of an
 * index it points at). Pushing the same manifest to it again changes nothing and is allowed, so
 * that a retried push succeeds. Refusals are {@code DENIED} (403) and name the rule. The checks
 * run in the push's or delete's transaction, after the repository's row lock
 * ({@code StatsRows.lock}), so two pushes of one new tag cannot both see it free.
 *
 * <p>The rules are those of the configuration, then those administrators set in the web UI
 * ({@code immutable_tag_rules}), read from the database at each check so that every server on it
 * applies the same ones at once (their compiled patterns are kept, by text).
 */
@Component
public class ImmutableTags {

    /**
     * A rule, compiled, with the name messages give it ({@code berth.immutable-tags[0]}, or
     * {@code rule #7 set in the web UI}).
     *
     * @param storedId its row in {@code immutable_tag_rules}, or null for a rule of the configuration
     */
    public record Rule(String name, RepositoryGlob repositories, Pattern tags, Long storedId, String createdBy) {

        boolean covers(RepositoryName repository, Tag tag) {
            return repositories.matches(repository) && tags.matcher(tag.value()).matches();
        }

        /** The glob as written (for pages: their expressions may not call into java.util.regex). */
        public String repositoryGlob() {
            return repositories.glob();
        }

        /** The tag pattern as written. */
        public String tagPattern() {
            return tags.pattern();
        }

        @Override
        public String toString() {
            return name + " (repositories " + repositories + ", tags " + tags.pattern() + ")";
        }
    }

    private final List<Rule> configured;
    private final TagHolders holders;
    private final ImmutableTagRuleRows stored;
    private final Clock clock;
    private final ConcurrentMap<ImmutableTagRuleRows.Row, Rule> compiledRows = new ConcurrentHashMap<>();

    ImmutableTags(ImmutableTagSettings settings, TagHolders holders, ImmutableTagRuleRows stored, Clock clock) {
        this.configured = compile(settings.immutableTags());
        this.holders = holders;
        this.stored = stored;
        this.clock = clock;
    }

    /** Every rule in force: the configuration's, then the web UI's. */
    public List<Rule> rules() {
        List<Rule> all = new ArrayList<>(configured);
        if (stored != null) {
            for (ImmutableTagRuleRows.Row row : stored.all()) {
                all.add(compiledRows.computeIfAbsent(row, r -> new Rule("rule #" + r.id() + " set in the web UI",
                        RepositoryGlob.of(r.repositories()), Pattern.compile(r.tags()), r.id(), r.createdBy())));
            }
        }
        return all;
    }

    /**
     * Stores a rule set in the web UI, after checking that it can be read.
     *
     * @throws IllegalArgumentException with a message for the form when it cannot
     */
    public void add(String repositories, String tags, String createdBy) {
        String glob = repositories == null ? "" : repositories.strip();
        if (glob.isEmpty() || glob.length() > 255) {
            throw new IllegalArgumentException("repositories is a glob of repository names, such as team/**");
        }
        if (tags == null || tags.isEmpty() || tags.length() > 255) {
            throw new IllegalArgumentException("tags is a regular expression of tags, such as v[0-9].*");
        }
        try {
            Pattern.compile(tags);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("tags is not a regular expression: " + e.getDescription() + " in " + tags);
        }
        stored.insert(glob, tags, createdBy, clock.instant());
    }

    /** Removes a rule set in the web UI. @return the rule removed, if there was one */
    public Optional<String> remove(long id) {
        return stored.delete(id).map(row -> "repositories " + row.repositories() + ", tags " + row.tags());
    }

    /** The rules as configured, each checked: a rule that cannot be read stops the server from starting. */
    static List<Rule> compile(List<ImmutableTagSettings.Rule> configured) {
        List<Rule> compiled = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            String name = "berth.immutable-tags[" + i + "]";
            ImmutableTagSettings.Rule rule = configured.get(i);
            if (rule.repositories() == null || rule.repositories().isBlank()) {
                throw new IllegalStateException(name + ".repositories is missing: a glob of repository names, such as team/**");
            }
            if (rule.tags() == null || rule.tags().isEmpty()) {
                throw new IllegalStateException(name + ".tags is missing: a regular expression of tags, such as v[0-9].*");
            }
            try {
                compiled.add(new Rule(name, RepositoryGlob.of(rule.repositories().strip()), Pattern.compile(rule.tags()), null, null));
            } catch (PatternSyntaxException e) {
                // No cause: berth serve reports the deepest message of a failed start, and this one names the rule.
                throw new IllegalStateException(name + ".tags is not a regular expression: "
                        + e.getDescription() + " in " + rule.tags());
            }
        }
        return List.copyOf(compiled);
    }

    /** The first rule that makes the tag immutable, if any. */
    public Optional<Rule> ruleFor(RepositoryName repository, Tag tag) {
        return ruleFor(rules(), repository, tag);
    }

    private static Optional<Rule> ruleFor(List<Rule> rules, RepositoryName repository, Tag tag) {
        return rules.stream().filter(r -> r.covers(repository, tag)).findFirst();
    }

    /** Refuses a push that would move an immutable tag of the repository away from the manifest {@code digest}. */
    void checkPush(long repositoryId, RepositoryName repository, List<Tag> tags, Digest digest) {
        if (tags.isEmpty()) {
            return;
        }
        List<Rule> rules = rules();
        for (Tag tag : tags) {
            ruleFor(rules, repository, tag).ifPresent(rule -> holders.target(repositoryId, tag)
                    .filter(current -> !current.equals(digest))
                    .ifPresent(current -> {
                        throw denied("tag " + tag + " of " + repository + " is immutable under " + rule + ": it stays on "
                                + current + "; push " + digest + " under a new tag", repository, tag.value());
                    }));
        }
    }

    /** Refuses the delete of a whole repository holding a tag that a rule protects (the first such tag, in byte order). */
    public void checkRepositoryDelete(RepositoryName repository, List<Tag> tags) {
        List<Rule> rules = rules();
        for (Tag tag : tags) {
            ruleFor(rules, repository, tag).ifPresent(rule -> {
                throw denied("repository " + repository + " holds tag " + tag + ", immutable under " + rule
                        + ": it cannot be deleted", repository, tag.value());
            });
        }
    }

    /** Refuses the delete of an immutable tag that exists. */
    void checkTagDelete(long repositoryId, RepositoryName repository, Tag tag) {
        ruleFor(repository, tag).ifPresent(rule -> holders.target(repositoryId, tag).ifPresent(current -> {
            throw denied("tag " + tag + " of " + repository + " is immutable under " + rule + ": it cannot be deleted",
                    repository, tag.value());
        }));
    }

    /** Refuses the delete of a manifest that an immutable tag points at, or holds as the child of an index. */
    void checkManifestDelete(long repositoryId, RepositoryName repository, Digest digest) {
        List<Rule> rules = rules();
        if (rules.isEmpty()) {
            return;
        }
        for (Tag tag : holders.holding(repositoryId, digest)) {
            ruleFor(rules, repository, tag).ifPresent(rule -> {
                throw denied("manifest " + digest + " of " + repository + " is held by tag " + tag + ", immutable under "
                        + rule + ": it cannot be deleted", repository, digest.toString());
            });
        }
    }

    private static OciException denied(String message, RepositoryName repository, String reference) {
        return new OciException(OciErrorCode.DENIED, message, Map.of("name", repository.value(), "reference", reference));
    }
}
