package dev.berth.cli;

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

/** {@code berth stop [-t SECONDS] CONTAINER...}: the image's StopSignal or SIGTERM, then SIGKILL after the timeout. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop running containers.")
final class StopCommand implements Callable<Integer> {

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
        if (seconds < 0) {
            throw new IllegalArgumentException("-t must not be negative");
        }
        Containers containers = new Containers(runtime.root());
        return EachContainer.run(spec, names, name -> {
            containers.stop(containers.resolve(name), Duration.ofSeconds(seconds));
            return name;
        });
    }
}
