package dev.berth.registry.auth;

/** How much an anonymous caller may do. */
public enum AuthMode {
    /** Sign-in through Docker token auth; anonymous callers pull public repositories only. */
    TOKEN,
    /** As {@link #TOKEN}, but every repository can be pulled anonymously. */
    ANONYMOUS_READ,
    /** No access control at all: for development on a trusted machine only. */
    NONE
}
