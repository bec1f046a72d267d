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
 * {@code auth} of base64 {@code user:password} or separate {@code username}/{@code password}.
 * Credential helpers ({@code credsStore}, {@code credHelpers}) are not consulted.
 */
public final class DockerConfigCredentials implements CredentialSource {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;

    public DockerConfigCredentials(Path file) {
        this.file = file;
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
        JsonNode auths;
        try {
            auths = JSON.readTree(Files.readAllBytes(file)).path("auths");
        } catch (IOException | JacksonException e) {
            throw new IllegalStateException("cannot read credentials from " + file + ": " + e.getMessage(), e);
        }
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
