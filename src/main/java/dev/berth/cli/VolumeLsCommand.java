package dev.berth.cli;

import dev.berth.runtime.volume.Volumes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth volume ls [-q]}: docker's columns {@code DRIVER, VOLUME NAME}. */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List named volumes.")
final class VolumeLsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-q", "--quiet"}, description = "Only the names.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("DRIVER", "VOLUME NAME"));
        StringBuilder names = new StringBuilder();
        for (Volumes.Info v : new Volumes(runtime.root()).list()) {
            table.add(List.of("local", v.name()));
            names.append(v.name()).append('\n');
        }
        spec.commandLine().getOut().print(quiet ? names : PsTable.align(table));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
