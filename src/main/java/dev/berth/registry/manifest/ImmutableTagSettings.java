package dev.berth.registry.manifest;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code berth.immutable-tags}: tags that, once pushed, are never moved to another manifest nor
 * deleted (see {@link ImmutableTags}).
 *
 * @param immutableTags the rules, in order; none by default
 */
@ConfigurationProperties("berth")
public record ImmutableTagSettings(List<Rule> immutableTags) {

    public ImmutableTagSettings {
        immutableTags = immutableTags == null ? List.of() : List.copyOf(immutableTags);
    }

    /**
     * @param repositories a glob of repository names ({@link RepositoryGlob})
     * @param tags         a regular expression the whole tag must match
     */
    public record Rule(String repositories, String tags) {
    }
}
