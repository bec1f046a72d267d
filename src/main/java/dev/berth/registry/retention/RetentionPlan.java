package dev.berth.registry.retention;

import java.time.Instant;
import java.util.List;

/**
 * What the rules remove now: the tags that go, the tags a rule would remove but an immutable-tag
 * rule holds, and the bytes of the blobs that only the manifests losing their last tag reference.
 */
public record RetentionPlan(List<Entry> removed, List<Entry> immutable, long bytesFreed) {

    /**
     * @param reason the rule that makes the tag go, or for an immutable one the immutable-tag rule that holds it
     */
    public record Entry(String repository, String tag, String digest, Instant pushedAt, String reason) {
    }
}
