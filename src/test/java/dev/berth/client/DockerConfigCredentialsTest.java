package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigCredentialsTest {

    @TempDir
    Path dir;

    private DockerConfigCredentials config(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return new DockerConfigCredentials(file);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheAuthsThatDockerLoginWrites() throws Exception {
        DockerConfigCredentials creds = config("""
                {"auths":{"localhost:5000":{"auth":"%s"},
                          "https://index.docker.io/v1/":{"auth":"%s"},
                          "https://ghcr.io":{"username":"u","password":"p"}}}
                """.formatted(b64("alice:pa:ss"), b64("bob:hub")));

        assertThat(creds.forRegistry("localhost:5000")).contains(new Credentials("alice", "pa:ss"));
        assertThat(creds.forRegistry("docker.io")).contains(new Credentials("bob", "hub"));
        assertThat(creds.forRegistry("ghcr.io")).contains(new Credentials("u", "p"));
        assertThat(creds.forRegistry("quay.io")).isEmpty();
    }

    /**
     * A credential helper as docker's protocol wants it, written here as a script: {@code get} reads
     * the server address on stdin and answers JSON, or says it knows nothing and exits 1. Each call
     * is logged with its arguments and input, to show how it was asked.
     */
    private Path helper(String name, String server, String user, String secret) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path script = bin.resolve("docker-credential-" + name);
        Files.writeString(script, """
                #!/bin/sh
                read -r server
                echo "$# $1 $server" >> "%s"
                [ "$1" = get ] || exit 2
                case "$server" in
                  %s) printf '{"ServerURL":"%%s","Username":"%s","Secret":"%s"}\n' "$server" ;;
                  broken) echo "the keychain is locked"; exit 1 ;;
                  *) echo "credentials not found in native keychain"; exit 1 ;;
                esac
                """.formatted(dir.resolve(name + ".log"), server, user, secret));
        script.toFile().setExecutable(true);
        return bin;
    }

    @Test
    void credHelpersAndTheCredsStoreAreAskedAsDockerAsksThem() throws Exception {
        Path bin = helper("berthtest", "localhost:5000", "helper-user", "helper secret");
        helper("store", "registry.example", "store-user", "store-secret");
        Path file = dir.resolve("config.json");
        Files.writeString(file, """
                {"credsStore":"store","credHelpers":{"localhost:5000":"berthtest"},
                 "auths":{"other.example":{"auth":"%s"},"registry.example":{}}}
                """.formatted(b64("file:user")));
        DockerConfigCredentials creds = new DockerConfigCredentials(file, List.of(dir.resolve("nowhere"), bin));

        assertThat(creds.forRegistry("localhost:5000")).contains(new Credentials("helper-user", "helper secret"));
        assertThat(creds.forRegistry("registry.example")).contains(new Credentials("store-user", "store-secret"));
        assertThat(creds.forRegistry("other.example")).contains(new Credentials("file", "user"));
        assertThat(creds.forRegistry("docker.io")).isEmpty();
        assertThat(dir.resolve("berthtest.log")).hasContent("1 get localhost:5000");
        assertThat(Files.readAllLines(dir.resolve("store.log")))
                .containsExactly("1 get registry.example", "1 get other.example", "1 get https://index.docker.io/v1/");
    }

    @Test
    void aHelperThatFailsOrIsMissingIsAnErrorThatSaysWhich() throws Exception {
        Path bin = helper("berthtest", "localhost:5000", "u", "p");
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"credHelpers\":{\"broken\":\"berthtest\",\"gone.example\":\"absent\"}}");
        DockerConfigCredentials creds = new DockerConfigCredentials(file, List.of(bin));

        assertThatThrownBy(() -> creds.forRegistry("broken"))
                .hasMessage("credential helper docker-credential-berthtest failed for broken: the keychain is locked");
        assertThatThrownBy(() -> creds.forRegistry("gone.example"))
                .hasMessage("credential helper docker-credential-absent is not installed (docker's config.json names it)");
    }

    @Test
    void aMissingFileMeansNoCredentialsButABrokenOneIsAnError() throws Exception {
        assertThat(new DockerConfigCredentials(dir.resolve("nope.json")).forRegistry("x")).isEmpty();
        assertThatThrownBy(() -> config("{").forRegistry("x")).hasMessageContaining("cannot read credentials");
        assertThatThrownBy(() -> config("{\"auths\":{\"x\":{\"auth\":\"%%%\"}}}").forRegistry("x")).hasMessageContaining("not base64");
    }

    @Test
    void theFirstSourceThatKnowsTheRegistryWins() {
        CredentialSource a = r -> r.equals("a") ? Optional.of(new Credentials("1", "1")) : Optional.empty();
        CredentialSource b = r -> Optional.of(new Credentials("2", "2"));

        CredentialSource both = CredentialSource.firstOf(List.of(a, b));

        assertThat(both.forRegistry("a")).contains(new Credentials("1", "1"));
        assertThat(both.forRegistry("z")).contains(new Credentials("2", "2"));
        assertThat(new Credentials("u", "secret").toString()).doesNotContain("secret");
    }
}
