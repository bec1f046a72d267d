package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth admin}: offline administration of a registry's data; it only lists its subcommands. */
@Command(name = "admin",
        mixinStandardHelpOptions = true,
        description = {
            "Administer a registry's data offline, with the settings berth serve reads.",
            "With the embedded H2 database, stop berth serve first: it admits one process."
        },
        subcommands = {ResetPasswordCommand.class})
final class AdminCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
