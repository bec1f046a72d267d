package dev.berth.cli;

import dev.berth.runtime.container.Containers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth wait CONTAINER...}: blocks until each one exits and prints its exit code (-1 when nobody saw it exit). */
@Command(name = "wait", mixinStandardHelpOptions = true, description = "Wait for containers to exit; print their exit codes.")
final class WaitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        Containers containers = new Containers(runtime.root());
        return EachContainer.run(spec, names, name -> {
            Integer code = containers.awaitExit(containers.resolve(name), Duration.ofDays(365 * 100)).state().exitCode();
            return code == null ? "-1" : code.toString();
        });
    }
}
