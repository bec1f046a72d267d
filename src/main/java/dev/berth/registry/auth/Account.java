package dev.berth.registry.auth;

import java.time.Instant;

/**
 * A user or robot account.
 *
 * @param robotOf the organization a robot account belongs to; null for a person
 */
public record Account(long id, String username, boolean admin, boolean disabled, String robotOf, Instant createdAt) {

    public boolean robot() {
        return robotOf != null;
    }
}
