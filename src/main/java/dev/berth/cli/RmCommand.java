package dev.berth.cli;

import dev.berth.runtime.container.Containers;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth rm [-f] CONTAINER...}: its root's upper layer, bundle, state, log and name go; a running one only with -f. */
@Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove containers.")
final class RmCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-f", "--force"}, description = "Kill a running container first.")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        Containers containers = new Containers(runtime.root());
        return EachContainer.run(spec, names, name -> {
            containers.remove(containers.resolve(name), force);
            return name;
        });
    }
}
