package dev.berth.cli;

import dev.berth.oci.OciException;
import picocli.CommandLine;

/** The CLI's one error translator: a one-line message on stderr and a non-zero exit code. */
final class CliErrorHandler implements CommandLine.IExecutionExceptionHandler {

    static final int EXIT_FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof OciException oci) {
            message = oci.code().wireCode() + ": " + message;
        }
        cli.getErr().println("berth: " + message.lines().findFirst().orElse(message));
        if (System.getenv("BERTH_DEBUG") != null) {
            e.printStackTrace(cli.getErr());
        }
        return EXIT_FAILURE;
    }
}
