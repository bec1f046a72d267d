package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.MediaType;
import dev.berth.testing.AuthProxy;
import dev.berth.testing.Cli;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.TestImage;
import dev.berth.testing.TestLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code berth login}, then {@code berth pull} from a registry that demands Bearer tokens, then logout. */
@DatabaseNeutral
class LoginCommandIT extends RegistryIntegrationTest {

    @TempDir
    Path tmp;

    @Test
    void loginKeepsCheckedCredentialsThatPullThenUses() throws Exception {
        String repo = uniqueName("login");
        TestImage.create().layer(TestLayer.create().file("f", repo, 0644), MediaType.OCI_LAYER_GZIP)
                .push(new RegistryPusher(uri("/")), repo, "v1");
        String config = tmp.resolve("config").toString();
        String root = tmp.resolve("root").toString();
        try (AuthProxy proxy = new AuthProxy(uri("/"), AuthProxy.Mode.BEARER, "alice", "s3cret", 300)) {
            String image = proxy.registry() + "/" + repo + ":v1";

            Cli anonymous = Cli.run("pull", "--root", root, "--config", config, image);
            Cli wrong = Cli.run("login", "--config", config, "-u", "alice", "-p", "nope", proxy.registry());
            Cli login = Cli.run("login", "--config", config, "-u", "alice", "-p", "s3cret", proxy.registry());
            Cli pull = Cli.run("pull", "--root", root, "--config", config, image);
            Cli logout = Cli.run("logout", "--config", config, proxy.registry());
            Cli again = Cli.run("logout", "--config", config, proxy.registry());

            assertThat(anonymous.exit()).isEqualTo(1);
            assertThat(anonymous.err()).startsWith("berth: UNAUTHORIZED: ").hasLineCount(1);
            assertThat(wrong.exit()).isEqualTo(1);
            assertThat(wrong.err()).contains("berth: UNAUTHORIZED: the token server 127.0.0.1 refused the credentials of alice");
            assertThat(login.exit()).as(login.err()).isZero();
            assertThat(login.out()).isEqualTo("Login Succeeded\n");
            assertThat(login.err()).contains("--password-stdin");
            assertThat(pull.exit()).as(pull.err()).isZero();
            assertThat(pull.out()).contains("Pull complete");
            assertThat(logout.out()).isEqualTo("Removing login credentials for " + proxy.registry() + "\n");
            assertThat(again.out()).isEqualTo("Not logged in to " + proxy.registry() + "\n");
        }
        Path auth = tmp.resolve("config/auth.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(auth))).isEqualTo("rw-------");
        assertThat(Files.readString(auth)).doesNotContain("s3cret");
    }

    @Test
    void pullTakesCredentialsFromTheDockerCredentialHelperThatConfigJsonNames() throws Exception {
        String repo = uniqueName("helper");
        TestImage.create().layer(TestLayer.create().file("f", repo, 0644), MediaType.OCI_LAYER_GZIP)
                .push(new RegistryPusher(uri("/")), repo, "v1");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path asked = tmp.resolve("helper-asked");
        // A credential helper speaking docker's protocol: `get`, the server address on stdin, JSON on stdout.
        Path helper = bin.resolve("docker-credential-berthtest");
        Files.writeString(helper, """
                #!/bin/sh
                [ "$1" = get ] || exit 2
                read -r server
                echo "$server" >> "%s"
                printf '{"ServerURL":"%%s","Username":"alice","Secret":"s3cret"}\n' "$server"
                """.formatted(asked));
        helper.toFile().setExecutable(true);
        Path dockerConfig = Files.createDirectories(tmp.resolve("docker"));
        try (AuthProxy proxy = new AuthProxy(uri("/"), AuthProxy.Mode.BEARER, "alice", "s3cret", 300)) {
            Files.writeString(dockerConfig.resolve("config.json"), "{\"credHelpers\":{\"" + proxy.registry() + "\":\"berthtest\"}}");
            String image = proxy.registry() + "/" + repo + ":v1";
            Map<String, String> env = Map.of("DOCKER_CONFIG", dockerConfig.toString(),
                    "PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));

            RunProcess.Result pull = RunProcess.command(env, "pull", "--root", tmp.resolve("root").toString(),
                    "--config", tmp.resolve("no-login").toString(), image);
            RunProcess.Result withoutHelper = RunProcess.command(Map.of("DOCKER_CONFIG", tmp.resolve("none").toString()),
                    "pull", "--root", tmp.resolve("root2").toString(), "--config", tmp.resolve("no-login").toString(), image);

            assertThat(pull.exit()).as(pull.err()).isZero();
            assertThat(pull.out()).contains("Pull complete");
            assertThat(asked).hasContent(proxy.registry());
            assertThat(withoutHelper.exit()).isEqualTo(1);
            assertThat(withoutHelper.err()).startsWith("berth: UNAUTHORIZED: ");
        }
    }
}
