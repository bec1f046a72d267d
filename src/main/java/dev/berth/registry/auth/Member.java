package dev.berth.registry.auth;

/** A user's role in a namespace. */
public record Member(long userId, String username, Role role, boolean robot) {
}
