package dev.berth.cli;

import dev.berth.oci.ImageReference;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code berth logout REGISTRY}: forgets what {@code berth login} kept. */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Forget the credentials of a registry.")
final class LogoutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RegistryOptions registries;

    @Parameters(index = "0", paramLabel = "REGISTRY", defaultValue = ImageReference.DOCKER_HUB)
    String registry;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println(registries.logins().remove(registry) ? "Removing login credentials for " + registry
                : "Not logged in to " + registry);
        out.flush();
        return 0;
    }
}
