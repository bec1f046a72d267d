package dev.berth.registry.auth;

import java.time.Instant;
import java.util.Set;

/**
 * A personal access token, without its secret (which is never stored).
 *
 * @param expiresAt  null for a token that does not expire
 * @param lastUsedAt when it last signed someone in, to the minute; null if never
 */
public record AccessToken(long id, long userId, String name, Set<Action> scopes, Instant createdAt,
        Instant expiresAt, Instant lastUsedAt) {

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
