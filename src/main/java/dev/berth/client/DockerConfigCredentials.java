package dev.berth.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Credentials from a docker-style {@code config.json}: the {@code auths} map that {@code docker login}
 * writes, keyed by registry host (Docker Hub as {@code https://index.docker.io/v1/}), each entry an
 * {@code auth} of base64 {@code user:password} or separate {@code username}/{@code password};
 * and credential helpers as docker consults them: the registry's entry in {@code credHelpers}, else
 * the {@code credsStore} (falling back to {@code auths} when it knows nothing of the registry).
 */
public final class DockerConfigCredentials implements CredentialSource {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final List<Path> helperPath;

    public DockerConfigCredentials(Path file) {
        this(file, CredentialHelper.systemPath());
    }

    /** @param helperPath where to find {@code docker-credential-*} programs (PATH by default) */
    DockerConfigCredentials(Path file, List<Path> helperPath) {
        this.file = file;
        this.helperPath = List.copyOf(helperPath);
    }

    /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    public static DockerConfigCredentials standard() {
        String dir = System.getenv("DOCKER_CONFIG");
        Path base = dir != null && !dir.isEmpty() ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".docker");
        return new DockerConfigCredentials(base.resolve("config.json"));
    }

    @Override
    public Optional<Credentials> forRegistry(String registry) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode config;
        try {
            config = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("cannot read credentials from " + file + ": " + e.getMessage(), e);
        }
        for (String key : keysFor(registry)) {
            String helper = config.path("credHelpers").path(key).asString("");
            if (!helper.isEmpty()) {
                return new CredentialHelper(helper, helperPath).get(serverAddress(registry));
            }
        }
        String store = config.path("credsStore").asString("");
        if (!store.isEmpty()) {
            Optional<Credentials> stored = new CredentialHelper(store, helperPath).get(serverAddress(registry));
            if (stored.isPresent()) {
                return stored;
            }
        }
        JsonNode auths = config.path("auths");
        for (String key : keysFor(registry)) {
            JsonNode entry = auths.get(key);
            if (entry != null && entry.isObject()) {
                Optional<Credentials> found = decode(entry, key);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The server address docker hands a credential helper: Docker Hub's legacy URL, else the registry as named. */
    private static String serverAddress(String registry) {
        return keysFor(registry).get(0);
    }

    private static List<String> keysFor(String registry) {
        if (registry.equals("docker.io") || registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            return List.of("https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io");
        }
        return List.of(registry, "https://" + registry, "http://" + registry, "https://" + registry + "/v1/",
                "https://" + registry + "/v2/");
    }

    private Optional<Credentials> decode(JsonNode entry, String key) {
        String auth = entry.path("auth").asString("");
        if (!auth.isEmpty()) {
            String pair;
            try {
                pair = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the auth of " + key + " in " + file + " is not base64");
            }
            int colon = pair.indexOf(':');
            if (colon < 0) {
                throw new IllegalStateException("the auth of " + key + " in " + file + " is not user:password");
            }
            return Optional.of(new Credentials(pair.substring(0, colon), pair.substring(colon + 1)));
        }
        String user = entry.path("username").asString("");
        String password = entry.path("password").asString("");
        return user.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, password));
    }
}
