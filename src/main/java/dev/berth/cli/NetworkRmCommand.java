package dev.berth.cli;

import dev.berth.runtime.network.Networks;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth network rm NAME...}: refused while a container is on it; its bridge and rules go. */
@Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true, description = "Remove networks.")
final class NetworkRmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        Networks networks = new Networks(runtime.root());
        return EachContainer.run(spec, names, name -> {
            networks.remove(name);
            return name;
        });
    }
}
