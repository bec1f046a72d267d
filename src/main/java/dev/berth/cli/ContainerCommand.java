package dev.berth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code berth container prune}: docker's management command for containers (only prune so far). */
@Command(name = "container", mixinStandardHelpOptions = true, description = "Manage containers.",
        subcommands = {ContainerPruneCommand.class})
final class ContainerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
