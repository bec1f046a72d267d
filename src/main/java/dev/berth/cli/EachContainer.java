package dev.berth.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What docker does for commands that take several containers (stop, kill, rm, wait): each one in
 * turn, its result on stdout, a one-line error on stderr for one that fails, and exit code 1 when
 * any failed.
 */
final class EachContainer {

    interface Action {
        /** @return the line to print for it */
        String apply(String name) throws Exception;
    }

    private EachContainer() {
    }

    static int run(CommandSpec spec, List<String> names, Action action) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int exit = 0;
        for (String name : names) {
            try {
                out.println(action.apply(name));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CliErrorHandler.EXIT_FAILURE;
            } catch (Exception e) {
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                err.println("berth: " + message.lines().findFirst().orElse(message));
                exit = CliErrorHandler.EXIT_FAILURE;
            }
            out.flush();
            err.flush();
        }
        return exit;
    }
}
