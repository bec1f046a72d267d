package dev.berth.cli;

import dev.berth.registry.gc.GcOffline;
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
 * {@code berth gc [--dry-run]}: one pass of the online garbage collector, offline; with
 * {@code --dry-run}, what that pass would free, and nothing changed.
 */
@Command(name = "gc",
        mixinStandardHelpOptions = true,
        header = "Run one garbage-collection pass, or say what it would free.",
        description = {
            "Take the GC reviews that are due now, as every server's GC worker does each",
            "berth.gc.interval, and delete the blobs (rows, then files) and untagged manifests",
            "nothing references any more. Prints one line: what was deleted and from how many",
            "reviews. With --dry-run, the same pass runs in a transaction that is rolled back",
            "and no file is touched: the line says what the next pass would delete.",
            "",
            "On the embedded H2 database, stop berth serve first (it admits one process). On",
            "PostgreSQL it can run beside the servers; a dry run holds the locks it takes until",
            "it ends, so their pushes of the same blobs wait meanwhile.",
            "",
            "Reads the settings berth serve reads: config/application.yml in the working",
            "directory, the environment, and any --name=value, such as",
            "--spring.datasource.url=jdbc:postgresql://…"
        })
final class GcCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dry-run", description = "Say what the pass would delete, and delete nothing.")
    boolean dryRun;

    @Mixin
    ServeSettings settings = new ServeSettings();

    @Unmatched
    List<String> springArguments = new ArrayList<>();

    @Override
    public Integer call() {
        // Taken before the pass runs: it points System.out at stderr while Spring is up.
        PrintWriter out = spec.commandLine().getOut();
        return GcOffline.run(settings.arguments(springArguments), dryRun, out);
    }
}
