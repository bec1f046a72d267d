package dev.berth.cli;

import dev.berth.runtime.container.Supervisor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth supervise ID} (hidden): a detached container's supervisor, started by {@code run -d}
 * with the same JVM and jar, in a session of its own ({@code setsid}) with its stdio on /dev/null.
 */
@Command(name = "supervise", hidden = true, description = "Supervise a detached container (started by run -d).")
final class SuperviseCommand implements Callable<Integer> {

    @Mixin
    RuntimeOptions runtime;

    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--rm")
    boolean remove;

    @Override
    public Integer call() throws Exception {
        Supervisor.supervise(runtime.root(), id, remove);
        return 0;
    }

    /**
     * The command line that starts a supervisor: this process's java and its JVM options, then
     * its jar ({@code -jar}, as target/berth and {@code java -jar} start it) or else its class path.
     */
    static List<String> commandLine(java.nio.file.Path root, String id, boolean remove) {
        ProcessHandle.Info self = ProcessHandle.current().info();
        String java = self.command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> args = List.of(self.arguments().orElse(new String[0]));
        List<String> cmd = new ArrayList<>(List.of("setsid", java));
        int jar = args.indexOf("-jar");
        if (jar >= 0 && jar + 1 < args.size()) {
            cmd.addAll(args.subList(0, jar + 2));
        } else {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        }
        cmd.addAll(List.of("supervise", "--root", root.toString()));
        if (remove) {
            cmd.add("--rm");
        }
        cmd.add(id);
        return cmd;
    }
}
