package dev.berth.cli;

import dev.berth.runtime.container.ContainerStart;
import dev.berth.runtime.container.Containers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth restart [-t SECONDS] CONTAINER...}: {@code stop} (when it runs), then {@code start}. */
@Command(name = "restart", mixinStandardHelpOptions = true, description = "Stop, then start containers again.")
final class RestartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-t", "--time"}, paramLabel = "SECONDS", defaultValue = "10", description = "Seconds to wait before SIGKILL (default 10).")
    int seconds;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        if (!RuntimeOptions.isRoot()) {
            throw new IllegalStateException("berth restart needs root");
        }
        if (seconds < 0) {
            throw new IllegalArgumentException("-t must not be negative");
        }
        Containers containers = new Containers(runtime.root());
        ContainerStart start = new ContainerStart(containers, runtime.snapshots());
        return EachContainer.run(spec, names, name -> {
            String id = containers.resolve(name);
            containers.stop(id, Duration.ofSeconds(seconds));
            start.start(id, i -> SuperviseCommand.commandLine(runtime.root(), i, false));
            return name;
        });
    }
}
