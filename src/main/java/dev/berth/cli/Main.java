package dev.berth.cli;

import picocli.CommandLine;

/** The {@code berth} command: the one entry point of the jar. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int exit = BerthCommand.commandLine().execute(args);
        // serve keeps running on its own non-daemon threads; every other command ends here.
        if (exit != ServeCommand.KEEP_RUNNING) {
            System.exit(exit);
        }
    }
}
