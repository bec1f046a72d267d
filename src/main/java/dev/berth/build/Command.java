package dev.berth.build;

import java.util.List;

/**
 * What RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD run: the exec form (a JSON array, run as is) or the
 * shell form (the text, handed to the stage's SHELL, which does its own expansion).
 */
sealed interface Command {

    /** {@code ["executable", "arg"]}: no shell, no expansion. */
    record Exec(List<String> args) implements Command {
        public Exec {
            args = List.copyOf(args);
        }
    }

    /** The instruction's text after its flags, continuations joined, for the shell. */
    record Shell(String text) implements Command {
    }
}
