package dev.berth.cli;

import dev.berth.registry.auth.PasswordReset;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code berth admin reset-password USER}: a new generated password for an account, printed once
 * on stdout (and nothing else there), for the administrator who lost theirs. The second command
 * after {@code serve} that starts Spring, a small context with no web server ({@link PasswordReset}).
 */
@Command(name = "reset-password",
        mixinStandardHelpOptions = true,
        header = "Give a user a new generated password, printed once.",
        description = {
            "Give USER a new generated password and print it once on stdout. The audit",
            "log records user.password-reset; the account's web sessions end.",
            "",
            "Reads the settings berth serve reads: config/application.yml in the",
            "working directory, the environment, and any --name=value, such as",
            "--spring.datasource.url=jdbc:postgresql://…"
        })
final class ResetPasswordCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "USER", description = "The account's user name.")
    String username;

    @Mixin
    ServeSettings settings = new ServeSettings();

    @Unmatched
    List<String> springArguments = new ArrayList<>();

    @Override
    public Integer call() {
        // Taken before the reset runs: it points System.out at stderr while Spring is up.
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> args = settings.arguments(springArguments);
        PasswordReset.Result result = PasswordReset.run(args, username);
        err.println("New password for " + result.username() + ", shown this once:");
        err.flush();
        out.println(result.password());
        out.flush();
        if (result.disabled()) {
            err.println("berth: note: " + result.username() + " is disabled; an administrator enables it at /admin/users");
        }
        err.flush();
        return 0;
    }
}
