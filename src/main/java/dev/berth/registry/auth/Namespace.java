package dev.berth.registry.auth;

import java.time.Instant;

/**
 * The first component of repository names, owned by a user or an organization.
 *
 * @param defaultVisibility what a repository in it is unless the repository says otherwise
 */
public record Namespace(String name, Kind kind, Visibility defaultVisibility, Instant createdAt) {

    public enum Kind {
        /** a user's own namespace, named after the user */
        USER,
        /** an organization: a team of users with roles */
        ORGANIZATION
    }
}
