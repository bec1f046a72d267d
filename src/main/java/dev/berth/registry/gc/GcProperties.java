package dev.berth.registry.gc;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code berth.gc.*} (see config/application.yml).
 *
 * @param enabled                 whether this server's worker takes due reviews (reviews are queued either way)
 * @param reviewDelay             how long after a reference was dropped (or a blob pushed) its target is looked at
 * @param interval                how often the worker looks for due reviews
 * @param untaggedManifestsAfter  an untagged manifest nothing keeps is removed this long after it lost its
 *                                tag or was pushed without one; null (the default): never
 */
@ConfigurationProperties("berth.gc")
public record GcProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("24h") Duration reviewDelay,
        @DefaultValue("1m") Duration interval,
        Duration untaggedManifestsAfter) {

    public boolean removesUntaggedManifests() {
        return untaggedManifestsAfter != null;
    }
}
