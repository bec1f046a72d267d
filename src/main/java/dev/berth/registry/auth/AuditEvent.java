package dev.berth.registry.auth;

import java.time.Instant;

/**
 * One thing someone did that changed what the registry holds or who may touch it.
 *
 * @param actor         the user name, or {@code anonymous}
 * @param action        what was done, e.g. {@code manifest.push}, {@code token.create}
 * @param target        what it was done to, e.g. {@code team/app:1.0} or {@code user bob}
 * @param clientAddress the address the request came from
 * @param detail        anything else worth knowing, e.g. the digest; may be null
 */
public record AuditEvent(long id, Instant occurredAt, String actor, String action, String target,
        String clientAddress, String detail) {
}
