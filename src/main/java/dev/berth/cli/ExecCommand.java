package dev.berth.cli;

import dev.berth.runtime.container.ContainerExec;
import dev.berth.runtime.container.Containers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth exec [-i] [-e K=V] [-w DIR] [-u USER[:GROUP]] CONTAINER COMMAND...}: exits with the command's exit code. */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run a command in a running container; exits with the command's exit code."})
final class ExecCommand implements Callable<Integer> {

    @Mixin
    RuntimeOptions runtime;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Option(names = {"-i", "--interactive"}, description = "Pass stdin through.")
    boolean interactive;

    @Option(names = {"-t", "--tty"}, description = "Not supported yet: refused with one line.")
    boolean tty;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY[=VALUE]", description = "Set over the container's; KEY alone takes berth's value.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR")
    String workdir;

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "Names or ids, resolved in the container.")
    String user;

    @Override
    public Integer call() throws Exception {
        if (!RuntimeOptions.isRoot()) {
            throw new IllegalStateException("berth exec needs root");
        }
        if (tty) {
            throw new IllegalArgumentException("exec -t (a pseudo-terminal) is not supported yet; -i alone passes stdin");
        }
        List<String> environment = new ArrayList<>();
        for (String e : env) {
            if (e.startsWith("=")) {
                throw new IllegalArgumentException("invalid environment entry " + e + ": the name is empty");
            }
            if (e.contains("=")) {
                environment.add(e);
            } else if (System.getenv(e) != null) {
                environment.add(e + "=" + System.getenv(e));
            }
        }
        Containers containers = new Containers(runtime.root());
        return new ContainerExec(containers).exec(containers.resolve(container),
                new ContainerExec.Request(command, environment, workdir, user, interactive));
    }
}
