package dev.berth.registry.auth;

/** Whether anyone, even anonymous, may pull a repository. */
public enum Visibility {
    PRIVATE,
    PUBLIC
}
