package dev.berth.cli;

import dev.berth.runtime.network.Network;
import dev.berth.runtime.network.Networks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth network ls [-q]}: docker's columns {@code NETWORK ID, NAME, DRIVER, SCOPE}. */
@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List networks.")
final class NetworkLsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-q", "--quiet"}, description = "Only the ids.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        List<List<String>> table = new ArrayList<>();
        table.add(List.of("NETWORK ID", "NAME", "DRIVER", "SCOPE"));
        StringBuilder ids = new StringBuilder();
        for (Network n : new Networks(runtime.root()).list()) {
            table.add(List.of(n.id().substring(0, 12), n.name(), "bridge", "local"));
            ids.append(n.id(), 0, 12).append('\n');
        }
        spec.commandLine().getOut().print(quiet ? ids : PsTable.align(table));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
