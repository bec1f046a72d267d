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
