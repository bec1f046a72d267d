package dev.berth.registry.auth;

import java.util.EnumSet;
import java.util.Set;

/** A member's role in a namespace. */
public enum Role {
    /** pulls */
    READ(EnumSet.of(Action.PULL)),
    /** pulls and pushes */
    WRITE(EnumSet.of(Action.PULL, Action.PUSH)),
    /** pulls, pushes, deletes and manages the namespace's members and visibility */
    ADMIN(EnumSet.allOf(Action.class));

    private final Set<Action> actions;

    Role(Set<Action> actions) {
        this.actions = actions;
    }

    public Set<Action> actions() {
        return EnumSet.copyOf(actions);
    }
}
