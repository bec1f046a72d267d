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

/** {@code berth kill [-s SIGNAL] CONTAINER...}: a signal (SIGKILL by default) to each container's init. */
@Command(name = "kill", mixinStandardHelpOptions = true, description = "Send a signal to running containers.")
final class KillCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-s", "--signal"}, paramLabel = "SIGNAL", defaultValue = "KILL", description = "Name or number (default KILL).")
    String signal;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        String sig = Signals.parse(signal);
        Containers containers = new Containers(runtime.root());
        return EachContainer.run(spec, names, name -> {
            containers.kill(containers.resolve(name), sig);
            return name;
        });
    }
}
