package dev.berth.cli;

import dev.berth.registry.gc.FsckOffline;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code berth fsck [--repair]}: the registry's blobs and metadata checked against each other,
 * offline, one line per finding on stdout and a summary; exit code 0 only when all is well.
 * Starts a small Spring context with no web server ({@link FsckOffline}), as reset-password does.
 */
@Command(name = "fsck",
        mixinStandardHelpOptions = true,
        header = "Check the registry's blobs and metadata against each other.",
        description = {
            "Read every blob file and check its size and digest against its row; report rows",
            "whose file is gone (LOST DATA), files without a row, manifests whose config, layers,",
            "children or tags point at what is not there, and upload leftovers. One line per",
            "finding, then a summary. Exit code 0 when all is well, 2 when something is wrong,",
            "1 when the check could not run.",
            "",
            "With --repair, remove what nothing needs: blob files without a row that no manifest",
            "names, stray files under blobs/, staged uploads without a session and sessions",
            "without staged bytes. Lost or damaged data is only reported. Stop berth serve first",
            "(the embedded H2 database admits one process; on PostgreSQL stop every server",
            "before --repair).",
            "",
            "Reads the settings berth serve reads: config/application.yml in the working",
            "directory, the environment, and any --name=value, such as",
            "--spring.datasource.url=jdbc:postgresql://…"
        })
final class FsckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--repair", description = "Remove orphan blob files, stray files and upload leftovers.")
    boolean repair;

    @Mixin
    ServeSettings settings = new ServeSettings();

    @Unmatched
    List<String> springArguments = new ArrayList<>();

    @Override
    public Integer call() {
        // Taken before the check runs: it points System.out at stderr while Spring is up.
        PrintWriter out = spec.commandLine().getOut();
        List<String> args = settings.arguments(springArguments);
        return FsckOffline.run(args, repair, out);
    }
}
