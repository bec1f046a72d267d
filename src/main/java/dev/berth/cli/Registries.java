package dev.berth.cli;

import dev.berth.client.CredentialSource;
import dev.berth.client.DockerConfigCredentials;
import dev.berth.client.RegistryClient;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** How the CLI reaches registries: credentials from docker's config, plain HTTP where asked. */
final class Registries {

    private Registries() {
    }

    static Function<String, RegistryClient> clients(List<String> insecure) {
        CredentialSource credentials = CredentialSource.firstOf(List.of(DockerConfigCredentials.standard()));
        Set<String> plain = Set.copyOf(insecure);
        return registry -> RegistryClient.connect(registry, credentials, plain);
    }
}
