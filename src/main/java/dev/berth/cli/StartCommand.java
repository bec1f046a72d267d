package dev.berth.cli;

import dev.berth.runtime.container.ContainerStart;
import dev.berth.runtime.container.Containers;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth start CONTAINER...}: each exited one runs again under a new supervisor; a running one is left as it is. */
@Command(name = "start", mixinStandardHelpOptions = true, description = "Start stopped containers (in the background).")
final class StartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        if (!RuntimeOptions.isRoot()) {
            throw new IllegalStateException("berth start needs root");
        }
        Containers containers = new Containers(runtime.root());
        ContainerStart start = new ContainerStart(containers, runtime.snapshots());
        return EachContainer.run(spec, names, name -> {
            start.start(containers.resolve(name), id -> SuperviseCommand.commandLine(runtime.root(), id, false));
            return name;
        });
    }
}
