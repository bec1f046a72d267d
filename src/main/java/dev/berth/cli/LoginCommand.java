package dev.berth.cli;

import dev.berth.client.Credentials;
import dev.berth.client.RegistryClient;
import dev.berth.oci.ImageReference;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth login REGISTRY}: checks the credentials against the registry, then keeps them for pulls. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Log in to a registry; the credentials are checked first and kept with mode 0600.")
final class LoginCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RegistryOptions registries;

    @Parameters(index = "0", paramLabel = "REGISTRY", defaultValue = ImageReference.DOCKER_HUB,
            description = "e.g. localhost:5000 (default: docker.io)")
    String registry;

    @Option(names = {"-u", "--username"}, paramLabel = "USER")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD", description = "Prefer --password-stdin.")
    String password;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Console console = System.console();
        if (password != null && passwordStdin) {
            throw new IllegalArgumentException("--password and --password-stdin are mutually exclusive");
        }
        if (username == null) {
            if (console == null) {
                throw new IllegalArgumentException("--username is required when not on a terminal");
            }
            username = console.readLine("Username: ");
        }
        if (passwordStdin) {
            password = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        } else if (password == null) {
            if (console == null) {
                throw new IllegalArgumentException("a password is required: use --password-stdin when not on a terminal");
            }
            password = new String(console.readPassword("Password: "));
        } else {
            err.println("WARNING! Using --password on the command line is insecure; use --password-stdin.");
        }
        if (username.isEmpty() || password.isEmpty()) {
            throw new IllegalArgumentException("the user name and the password must not be empty");
        }
        Credentials credentials = new Credentials(username, password);
        RegistryClient.connect(registry, r -> Optional.of(credentials), Set.copyOf(registries.insecure)).ping();
        registries.logins().save(registry, credentials);
        out.println("Login Succeeded");
        out.flush();
        return 0;
    }
}
