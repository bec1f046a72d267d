package dev.berth.runtime.container;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A container's life as docker shows it, as an explicit state machine: {@code created} (bundle
 * written, process not started), {@code running}, {@code exited}, and {@code removing} (on its way
 * out; nothing may start it again). {@link #next} refuses every move not listed here, so a
 * supervisor and a CLI command that race cannot record an impossible history.
 */
public enum ContainerState {
    CREATED, RUNNING, EXITED, REMOVING;

    /** The states this one may move to: start, exit (a start that failed too), restart, remove. */
    Set<ContainerState> successors() {
        return switch (this) {
            case CREATED -> EnumSet.of(RUNNING, EXITED, REMOVING);
            case RUNNING -> EnumSet.of(EXITED, REMOVING);
            case EXITED -> EnumSet.of(RUNNING, REMOVING);
            case REMOVING -> EnumSet.noneOf(ContainerState.class);
        };
    }

    /** @throws IllegalStateException with a one-line reason when the move is not allowed */
    public ContainerState next(ContainerState wanted) {
        if (!successors().contains(wanted)) {
            throw new IllegalStateException("a container that is " + label() + " cannot become " + wanted.label());
        }
        return wanted;
    }

    /** The lower-case name docker uses in {@code inspect} and {@code ps --filter status=}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ContainerState parse(String label) {
        for (ContainerState s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown container state " + label + ": expected created, running, exited or removing");
    }
}
