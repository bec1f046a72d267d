package dev.berth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code berth volume create|ls|rm|inspect}: named volumes; each subcommand is a class of its own. */
@Command(name = "volume", mixinStandardHelpOptions = true, description = "Manage named volumes.",
        subcommands = {VolumeCreateCommand.class, VolumeLsCommand.class, VolumeRmCommand.class, VolumeInspectCommand.class})
final class VolumeCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
