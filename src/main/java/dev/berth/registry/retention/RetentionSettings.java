package dev.berth.registry.retention;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code berth.retention} (the rules) and {@code berth.retention-interval} (how often they run);
 * see {@link RetentionRule} for what a rule keeps and removes.
 *
 * @param retention          the rules, in order; none by default (then nothing is ever removed)
 * @param retentionInterval  how often this server runs the rules when there are any (default 1h)
 * @param retentionLease     how long a run holds the rules for its server without renewing
 *                           (renewed before every removal): a server killed mid-run holds them
 *                           back that long, then the next run on any server takes over (default 1m)
 */
@ConfigurationProperties("berth")
public record RetentionSettings(List<Rule> retention, @DefaultValue("1h") Duration retentionInterval,
                                @DefaultValue("1m") Duration retentionLease) {

    public RetentionSettings {
        retention = retention == null ? List.of() : List.copyOf(retention);
    }

    /**
     * @param repositories a glob of repository names
     * @param keepLast     the N most recently pushed tags are kept; null: none kept for this reason
     * @param keepTags     a regular expression: a tag it matches whole is kept; null: none
     * @param olderThan    only tags pushed longer ago than this may be removed; null: any age
     */
    public record Rule(String repositories, Integer keepLast, String keepTags, Duration olderThan) {
    }
}
