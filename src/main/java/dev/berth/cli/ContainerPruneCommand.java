package dev.berth.cli;

import dev.berth.runtime.container.ContainerState;
import dev.berth.runtime.container.Containers;
import dev.berth.runtime.container.Containers.Container;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth container prune [-f]}: removes every exited container, printing docker's
 * {@code Deleted Containers:} list and {@code Total reclaimed space} (their own changes, docker's
 * SizeRw). A created one is kept: it may be one a {@code run -d} is starting.
 */
@Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove all exited containers.")
final class ContainerPruneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-f", "--force"}, description = "Do not ask for a confirmation.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!force) {
            out.print("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (answer == null || !answer.strip().equalsIgnoreCase("y")) {
                return 0;
            }
        }
        Containers containers = new Containers(runtime.root());
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (Container c : containers.list()) {
            if (c.state().state() != ContainerState.EXITED || c.state().restarting()) {
                continue;
            }
            long size = containers.writableSize(c.id());
            containers.remove(c.id(), false);
            deleted.add(c.id());
            reclaimed += size;
        }
        if (!deleted.isEmpty()) {
            out.println("Deleted Containers:");
            deleted.forEach(out::println);
            out.println();
        }
        out.println("Total reclaimed space: " + Sizes.human(reclaimed));
        out.flush();
        return 0;
    }
}
