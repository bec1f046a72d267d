package dev.berth.cli;

import dev.berth.client.CredentialSource;
import dev.berth.client.DockerConfigCredentials;
import dev.berth.client.LoginStore;
import dev.berth.client.RegistryClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * How the CLI reaches registries: credentials from {@code berth login} first, then docker's
 * config.json; plain HTTP for loopback and the registries named insecure.
 */
final class RegistryOptions {

    @Option(names = "--config", paramLabel = "DIR", defaultValue = "${env:BERTH_CONFIG}",
            description = "Where berth login keeps credentials (default: ~/.config/berth; env BERTH_CONFIG).")
    Path config;

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Talk plain HTTP to this registry (localhost and 127.0.0.0/8 always are).")
    List<String> insecure = new ArrayList<>();

    LoginStore logins() {
        Path dir = config != null ? config : Path.of(System.getProperty("user.home"), ".config", "berth");
        return new LoginStore(dir.resolve("auth.json"));
    }

    CredentialSource credentials() {
        return CredentialSource.firstOf(List.of(logins(), DockerConfigCredentials.standard()));
    }

    Function<String, RegistryClient> clients() {
        CredentialSource credentials = credentials();
        Set<String> plain = Set.copyOf(insecure);
        return registry -> RegistryClient.connect(registry, credentials, plain);
    }
}
