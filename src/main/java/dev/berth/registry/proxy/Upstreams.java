package dev.berth.registry.proxy;

import dev.berth.client.Credentials;
import dev.berth.client.RegistryClient;
import dev.berth.oci.RepositoryName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.springframework.stereotype.Component;

/**
 * The configured upstreams, checked once at start-up (a bad entry stops the server with a message
 * naming it), and which of them a repository name belongs to.
 */
@Component
public final class Upstreams {

    private final Map<String, ConnectedUpstream> byName = new LinkedHashMap<>();
    private ConnectedUpstream mirror;

    public Upstreams(ProxyProperties properties) {
        for (ProxyProperties.Upstream settings : properties.upstreams()) {
            ConnectedUpstream upstream = connect(settings);
            if (byName.putIfAbsent(settings.name(), upstream) != null) {
                throw invalid(settings, "its name is used by another upstream");
            }
            if (settings.mirror()) {
                if (mirror != null) {
                    // A name without a prefix can come from one place only.
                    throw invalid(settings, "mirror: true is set on " + mirror.name() + " too; at most one upstream is the mirror");
                }
                mirror = upstream;
            }
        }
    }

    /** Whether the name lies in an upstream's namespace ({@code dockerhub/...}), where nothing can be pushed. */
    public boolean isProxied(RepositoryName name) {
        return route(name).isPresent();
    }

    /**
     * The upstream and its repository name for a name under its prefix: {@code dockerhub/library/busybox}
     * is {@code library/busybox} at {@code dockerhub}. Empty for any other name.
     */
    public Optional<ProxiedRepository> route(RepositoryName name) {
        String value = name.value();
        int slash = value.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        ConnectedUpstream upstream = byName.get(value.substring(0, slash));
        return Optional.ofNullable(upstream).map(u -> new ProxiedRepository(u, name, RepositoryName.of(value.substring(slash + 1))));
    }

    /**
     * The name a mirrored pull of {@code name} is cached under: {@code library/busybox} is
     * {@code dockerhub/library/busybox} when {@code dockerhub} is the mirror. Empty when no upstream
     * is the mirror, when the name is already under an upstream's prefix, or when the prefixed
     * name would be too long to be a repository name.
     */
    public Optional<RepositoryName> mirrored(RepositoryName name) {
        if (mirror == null || route(name).isPresent()) {
            return Optional.empty();
        }
        String prefixed = mirror.name() + "/" + name.value();
        return RepositoryName.isValid(prefixed) ? Optional.of(RepositoryName.of(prefixed)) : Optional.empty();
    }

    public List<ConnectedUpstream> all() {
        return List.copyOf(byName.values());
    }

    private static ConnectedUpstream connect(ProxyProperties.Upstream settings) {
        if (settings.name() == null || settings.name().contains("/") || !RepositoryName.isValid(settings.name())) {
            throw invalid(settings, "a name is one lower-case path component, such as dockerhub");
        }
        if (settings.url() == null) {
            throw invalid(settings, "url is missing");
        }
        if (settings.maxConnections() < 1) {
            throw invalid(settings, "max-connections must be at least 1");
        }
        if (settings.password() != null && settings.passwordFile() != null) {
            throw invalid(settings, "give password or password-file, not both");
        }
        Optional<Credentials> credentials = Optional.empty();
        if (settings.username() != null) {
            credentials = Optional.of(new Credentials(settings.username(), password(settings)));
        } else if (settings.password() != null || settings.passwordFile() != null) {
            throw invalid(settings, "a password needs a username");
        }
        RegistryClient client;
        try {
            client = RegistryClient.forUpstream(settings.url(), credentials, settings.timeout());
        } catch (IllegalArgumentException e) {
            throw invalid(settings, e.getMessage());
        }
        return new ConnectedUpstream(settings, client, new Semaphore(settings.maxConnections(), true));
    }

    private static String password(ProxyProperties.Upstream settings) {
        if (settings.passwordFile() == null) {
            if (settings.password() == null) {
                throw invalid(settings, "a username needs password or password-file");
            }
            return settings.password();
        }
        try {
            return Files.readString(settings.passwordFile()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("berth.proxy: " + settings + ": cannot read password-file " + settings.passwordFile(), e);
        }
    }

    private static IllegalStateException invalid(ProxyProperties.Upstream settings, String why) {
        return new IllegalStateException("berth.proxy: " + settings + ": " + why);
    }

    /** An upstream with its client and the permits that bound its connections. */
    public record ConnectedUpstream(ProxyProperties.Upstream settings, RegistryClient client, Semaphore connections) {

        public String name() {
            return settings.name();
        }
    }

    /** A repository of this registry that caches {@code upstreamName} of {@code upstream}. */
    public record ProxiedRepository(ConnectedUpstream upstream, RepositoryName localName, RepositoryName upstreamName) {
    }
}
