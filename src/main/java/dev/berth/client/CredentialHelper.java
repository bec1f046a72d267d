package dev.berth.client;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A docker credential helper, {@code docker-credential-NAME}, asked as docker asks it: the program
 * started with the argument list {@code [program, "get"]} (no shell), the server address on its
 * stdin, and a JSON reply on its stdout ({@code {"ServerURL":…,"Username":…,"Secret":…}}). A helper
 * that knows no credentials for the server says so and exits non-zero; that is not an error.
 */
final class CredentialHelper {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_REPLY = 64 * 1024;
    private static final long TIMEOUT_SECONDS = 30;

    private final String name;
    private final List<Path> searchPath;

    /** @param searchPath the directories to find {@code docker-credential-NAME} in, in order (PATH) */
    CredentialHelper(String name, List<Path> searchPath) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalStateException("invalid credential helper name " + name);
        }
        this.name = name;
        this.searchPath = List.copyOf(searchPath);
    }

    static List<Path> systemPath() {
        List<Path> out = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                out.add(Path.of(dir));
            }
        }
        return out;
    }

    String program() {
        return "docker-credential-" + name;
    }

    Optional<Credentials> get(String serverAddress) {
        Path program = searchPath.stream().map(d -> d.resolve(program())).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("credential helper " + program() + " is not installed"
                        + " (docker's config.json names it)"));
        byte[] reply;
        int exit;
        try {
            Process p = new ProcessBuilder(List.of(program.toString(), "get"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(serverAddress.getBytes(StandardCharsets.UTF_8));
            }
            try (InputStream out = p.getInputStream()) {
                reply = out.readNBytes(MAX_REPLY);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("credential helper " + program() + " did not answer in " + TIMEOUT_SECONDS + " s");
            }
            exit = p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run credential helper " + program + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking credential helper " + program());
        }
        String text = new String(reply, StandardCharsets.UTF_8).strip();
        if (exit != 0) {
            if (text.contains("credentials not found")) {
                return Optional.empty();
            }
            throw new IllegalStateException("credential helper " + program() + " failed for " + serverAddress + ": "
                    + (text.isEmpty() ? "exit code " + exit : text.lines().findFirst().orElse(text)));
        }
        JsonNode json;
        try {
            json = JSON.readTree(reply);
        } catch (JacksonException e) {
            throw new IllegalStateException("credential helper " + program() + " did not answer JSON for " + serverAddress);
        }
        String user = json.path("Username").asString("");
        String secret = json.path("Secret").asString("");
        if (user.equals("<token>")) {
            throw new IllegalStateException("credential helper " + program() + " holds an identity token for "
                    + serverAddress + ", which berth cannot use yet; log in with berth login instead");
        }
        return user.isEmpty() && secret.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, secret));
    }
}
