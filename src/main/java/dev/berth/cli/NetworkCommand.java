package dev.berth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code berth network create|ls|rm|inspect}: bridge networks; each subcommand is a class of its own. */
@Command(name = "network", mixinStandardHelpOptions = true, description = "Manage networks.",
        subcommands = {NetworkCreateCommand.class, NetworkLsCommand.class, NetworkRmCommand.class, NetworkInspectCommand.class})
final class NetworkCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
