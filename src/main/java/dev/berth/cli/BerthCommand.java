package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command. It only lists its subcommands; each one lives in its own class. */
@Command(name = "berth",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A self-hostable container image registry and a container runtime.",
        subcommands = {ServeCommand.class, PullCommand.class, ImagesCommand.class, RmiCommand.class, RunCommand.class,
            PsCommand.class, LogsCommand.class, StopCommand.class, KillCommand.class, RmCommand.class, WaitCommand.class,
            InspectCommand.class, ExecCommand.class, PortCommand.class, NetworkCommand.class, VolumeCommand.class, ContainerCommand.class,
            StartCommand.class, RestartCommand.class, SuperviseCommand.class,
            PushCommand.class, TagCommand.class, SaveCommand.class, LoadCommand.class, BuildCommand.class,
            LoginCommand.class, LogoutCommand.class, AdminCommand.class, FsckCommand.class, GcCommand.class, CommandLine.HelpCommand.class})
public final class BerthCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The configured command line, shared by {@link Main} and the tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new BerthCommand());
        cli.setExecutionExceptionHandler(new CliErrorHandler());
        // Everything after the image is the container's command line, options included.
        cli.getSubcommands().get("run").setStopAtPositional(true);
        cli.getSubcommands().get("exec").setStopAtPositional(true);
        return cli;
    }
}
