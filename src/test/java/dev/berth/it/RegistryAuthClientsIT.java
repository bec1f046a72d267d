package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.auth.AccessTokens;
import dev.berth.registry.auth.Action;
import dev.berth.registry.auth.TokenModeIntegrationTest;
import dev.berth.registry.auth.Visibility;
import dev.berth.testing.DatabaseNeutral;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * docker, podman, skopeo and buildah against a registry with access control on: they sign in,
 * push and pull what they may, pull public repositories anonymously, and print their own "denied"
 * message for what they may not. After {@code docker login}, the others read docker's config.json.
 */
@DatabaseNeutral
class RegistryAuthClientsIT extends TokenModeIntegrationTest {

    private static final String DENIED = "requested access to the resource is denied";

    private static Path work;
    private static Skopeo skopeo;
    private static TestImage image;

    @BeforeAll
    static void setUp() throws IOException {
        work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "auth-clients-");
        skopeo = Skopeo.require(work);
        image = TestImages.ociLayout(work.resolve("layout"), "auth " + work.getFileName(), "v1");
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (work != null) {
            TestFiles.deleteRecursively(work);
        }
    }

    private String registry() {
        return "127.0.0.1:" + port;
    }

    @Test
    void dockerLogsInWithAnAccessTokenPushesPullsAndLogsOut() throws Exception {
        String alice = newUser("alice");
        String bob = newUser("bob");
        AccessTokens.Issued pat = tokens.create(id(alice), "docker", EnumSet.of(Action.PULL, Action.PUSH), null);
        String remote = registry() + "/" + alice + "/app:v1";
        try (PrivateDockerd dockerd = PrivateDockerd.start()) {
            Path archive = skopeo.dockerArchive(image, work.resolve("docker-" + System.nanoTime() + ".tar"), "berth-it/auth:v1");
            dockerd.docker("load", "--input", archive.toString()).succeed();
            dockerd.docker("tag", "berth-it/auth:v1", remote).succeed();

            Exec.Result anonymousPush = dockerd.docker("push", remote).run();
            assertThat(anonymousPush.succeeded()).isFalse();
            assertThat(anonymousPush.stderr()).contains("denied: " + DENIED);

            Exec.Result login = dockerd.docker("login", "--username", alice, "--password", pat.secret(), registry()).succeed();
            assertThat(login.stdout()).contains("Login Succeeded");
            JsonNode stored = dockerConfig(dockerd).path("auths").path(registry());
            assertThat(stored.has("identitytoken")).as("no identity token: %s", stored).isFalse();
            String basic = new String(Base64.getDecoder().decode(stored.path("auth").asString("")), StandardCharsets.UTF_8);
            assertThat(basic).as("docker keeps the access token, as it keeps a password for Docker Hub")
                    .isEqualTo(alice + ":" + pat.secret());

            Exec.Result push = dockerd.docker("push", remote).succeed();
            assertThat(push.stdout()).contains("v1: digest: sha256:");
            dockerd.docker("rmi", "berth-it/auth:v1", remote).succeed();
            assertThat(dockerd.docker("pull", remote).succeed().stdout()).contains("Downloaded newer image for " + remote);
            assertThat(audit.recent(null, 200)).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("manifest.push");
                assertThat(e.actor()).isEqualTo(alice);
                assertThat(e.target()).isEqualTo(alice + "/app:v1");
            });

            // Alice's token cannot push into bob's namespace: docker's own message.
            dockerd.docker("tag", remote, registry() + "/" + bob + "/app:v1").succeed();
            Exec.Result refused = dockerd.docker("push", registry() + "/" + bob + "/app:v1").run();
            assertThat(refused.succeeded()).isFalse();
            assertThat(refused.stderr()).contains("denied: " + DENIED);

            assertThat(dockerd.docker("logout", registry()).succeed().stdout()).contains("Removing login credentials");
            assertThat(dockerConfig(dockerd).path("auths").has(registry())).isFalse();
            dockerd.docker("rmi", remote).succeed();
            Exec.Result signedOut = dockerd.docker("pull", remote).run();
            assertThat(signedOut.succeeded()).isFalse();
            assertThat(signedOut.stderr()).contains("pull access denied for " + registry() + "/" + alice + "/app",
                    "repository does not exist or may require 'docker login'");
            Exec.Result missing = dockerd.docker("pull", registry() + "/" + alice + "/absent:v1").run();
            assertThat(missing.stderr().replace("/absent", "/app")).as("a missing repository reads the same")
                    .isEqualTo(signedOut.stderr());

            // A config.json holding a refresh token as its identity token (what an earlier Berth gave
            // docker login) keeps working: docker refreshes through the OAuth2 form.
            String refresh = refreshToken(alice, pat.secret());
            Files.writeString(dockerd.dir().resolve("cli/config.json"), "{\"auths\":{\"" + registry() + "\":{\"auth\":\""
                    + Base64.getEncoder().encodeToString((alice + ":").getBytes(StandardCharsets.UTF_8))
                    + "\",\"identitytoken\":\"" + refresh + "\"}}}");
            assertThat(dockerd.docker("pull", remote).succeed().stdout()).contains("Downloaded newer image for " + remote);
            dockerd.docker("rmi", remote).succeed();
            tokens.revoke(id(alice), pat.token().id());
            assertThat(dockerd.docker("pull", remote).run().succeeded()).as("and dies with its access token").isFalse();
            dockerd.docker("logout", registry()).succeed();

            Exec.Result wrong = dockerd.docker("login", "--username", alice, "--password", "not-the-password", registry()).run();
            assertThat(wrong.succeeded()).isFalse();
            assertThat(wrong.stderr()).contains("unauthorized: incorrect username or password");
        }
    }

    @Test
    void afterDockerLoginPodmanSkopeoAndBuildahSignInWithDockersConfigFile() throws Exception {
        String podman = Tools.require("podman", "podman");
        String buildah = Tools.require("buildah", "buildah");
        String kate = newUser("kate");
        String remote = registry() + "/" + kate + "/app:v1";
        skopeo.copy(image.ociReference(), "docker://" + remote, "--dest-tls-verify=false", "--dest-creds", kate + ":" + password(kate));
        try (PrivateDockerd dockerd = PrivateDockerd.start()) {
            dockerd.docker("login", "--username", kate, "--password", password(kate), registry()).succeed();
            Path dockerConfig = dockerd.dir().resolve("cli/config.json");
            assertThat(dockerConfig(dockerd).path("auths").path(registry()).has("identitytoken"))
                    .as("podman refuses an auth file with an identity token: %s", Files.readString(dockerConfig)).isFalse();

            // podman and buildah with REGISTRY_AUTH_FILE, skopeo with --authfile: all read the file docker wrote.
            ContainersConfig config = ContainersConfig.create(work.resolve("after-docker-" + System.nanoTime()));
            Map<String, String> env = new HashMap<>(config.environment());
            env.put("REGISTRY_AUTH_FILE", dockerConfig.toString());
            Exec.Result login = Exec.of(podman, "login", "--tls-verify=false", registry()).env(env).timeout(Duration.ofMinutes(3)).run();
            assertThat(login.succeeded()).as(login.describe()).isTrue();
            assertThat(login.stdout()).contains("Already logged in to " + registry());
            String pulled = Exec.lastLine(Exec.of(podman, "pull", "--signature-policy", config.policy(), "--tls-verify=false", remote)
                    .env(env).timeout(Duration.ofMinutes(3)).succeed().stdout());
            assertThat(pulled).isNotEmpty();

            Exec.Result inspect = skopeo.succeed("inspect", "--tls-verify=false", "--authfile", dockerConfig.toString(), "--raw",
                    "docker://" + remote);
            assertThat(TestFiles.digest(inspect.stdoutBytes())).isEqualTo(image.manifestDigest());
            assertThat(skopeo.run("inspect", "--tls-verify=false", "--raw", "docker://" + remote).succeeded())
                    .as("and without the file, the repository is private").isFalse();

            run(config, buildah, "pull", "--signature-policy", config.policy(), "--tls-verify=false",
                    "--authfile", dockerConfig.toString(), "docker://" + remote).succeed();
        }
    }

    @Test
    void dockerPullsAPublicRepositoryAnonymously() throws Exception {
        String carol = newUser("carol");
        String repository = carol + "/public";
        skopeo.succeed("copy", "--dest-tls-verify=false", "--dest-creds", carol + ":" + password(carol),
                image.ociReference(), "docker://" + registry() + "/" + repository + ":v1");
        namespaces.setVisibility(repository, Visibility.PUBLIC);
        try (PrivateDockerd dockerd = PrivateDockerd.start()) {
            Exec.Result pull = dockerd.docker("pull", registry() + "/" + repository + ":v1").succeed();
            assertThat(pull.stdout()).contains("Digest: " + image.manifestDigest());
        }
    }

    @Test
    void podmanLogsInPushesAndPullsAndIsRefusedElsewhere() throws Exception {
        String podman = Tools.require("podman", "podman");
        String dave = newUser("dave");
        String erin = newUser("erin");
        ContainersConfig config = ContainersConfig.create(work.resolve("podman-" + System.nanoTime()));
        String loaded = Exec.lastLine(run(config, podman, "pull", "--signature-policy", config.policy(), image.ociReference()).succeed().stdout());

        Exec.Result login = run(config, podman, "login", "--tls-verify=false", "--username", dave, "--password", password(dave), registry()).succeed();
        assertThat(login.stdout()).contains("Login Succeeded!");
        String remote = registry() + "/" + dave + "/app:v1";
        run(config, podman, "tag", loaded, remote).succeed();
        run(config, podman, "push", "--signature-policy", config.policy(), "--tls-verify=false", remote).succeed();
        run(config, podman, "rmi", "--force", loaded).succeed();
        String pulled = Exec.lastLine(run(config, podman, "pull", "--signature-policy", config.policy(), "--tls-verify=false", remote)
                .succeed().stdout());
        assertThat(pulled).isEqualTo(loaded);

        String elsewhere = registry() + "/" + erin + "/app:v1";
        run(config, podman, "tag", loaded, elsewhere).succeed();
        Exec.Result refused = run(config, podman, "push", "--signature-policy", config.policy(), "--tls-verify=false", elsewhere).run();
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.stderr()).contains(DENIED);

        run(config, podman, "logout", registry()).succeed();
        Exec.Result anonymous = run(config, podman, "pull", "--signature-policy", config.policy(), "--tls-verify=false", remote).run();
        assertThat(anonymous.succeeded()).isFalse();
        assertThat(anonymous.stderr()).contains(DENIED);
    }

    @Test
    void skopeoCopiesInspectsAndListsWithCredentials() throws Exception {
        String frank = newUser("frank");
        String gina = newUser("gina");
        AccessTokens.Issued pat = tokens.create(id(frank), "skopeo", EnumSet.allOf(Action.class), null);
        String creds = frank + ":" + pat.secret();
        String source = "docker://" + registry() + "/" + frank + "/source:v1";
        String pushed = skopeo.copy(image.ociReference(), source, "--dest-tls-verify=false", "--dest-creds", creds);
        assertThat(pushed).isEqualTo(image.manifestDigest());

        String target = "docker://" + registry() + "/" + frank + "/target:v1";
        skopeo.copy(source, target, "--src-tls-verify=false", "--src-creds", frank + ":" + password(frank),
                "--dest-tls-verify=false", "--dest-creds", creds);
        Exec.Result inspect = skopeo.succeed("inspect", "--tls-verify=false", "--creds", creds, "--raw", target);
        assertThat(TestFiles.digest(inspect.stdoutBytes())).isEqualTo(image.manifestDigest());
        assertThat(skopeo.succeed("list-tags", "--tls-verify=false", "--creds", creds, "docker://" + registry() + "/" + frank + "/target")
                .stdout()).contains("\"v1\"");

        Exec.Result outsider = skopeo.run("inspect", "--tls-verify=false", "--creds", gina + ":" + password(gina), "--raw", target);
        assertThat(outsider.succeeded()).isFalse();
        assertThat(outsider.stderr()).contains(DENIED);
        Exec.Result anonymous = skopeo.run("inspect", "--tls-verify=false", "--no-creds", "--raw", target);
        assertThat(anonymous.succeeded()).isFalse();
        Exec.Result refusedPush = skopeo.run("copy", "--dest-tls-verify=false", "--dest-creds", gina + ":" + password(gina),
                image.ociReference(), "docker://" + registry() + "/" + frank + "/intruder:v1");
        assertThat(refusedPush.succeeded()).isFalse();
        assertThat(refusedPush.stderr()).contains(DENIED);
    }

    @Test
    void buildahPushesWithCredentialsAndIsRefusedWithoutRights() throws Exception {
        String buildah = Tools.require("buildah", "buildah");
        String hank = newUser("hank");
        String ivan = newUser("ivan");
        ContainersConfig config = ContainersConfig.create(work.resolve("buildah-" + System.nanoTime()));
        String local = Exec.lastLine(run(config, buildah, "pull", "--signature-policy", config.policy(), image.ociReference())
                .succeed().stdout());
        Path digestFile = work.resolve("buildah-digest-" + System.nanoTime());
        run(config, buildah, "push", "--signature-policy", config.policy(), "--tls-verify=false", "--creds", hank + ":" + password(hank),
                "--digestfile", digestFile.toString(), local, "docker://" + registry() + "/" + hank + "/built:v1").succeed();
        assertThat(Files.readString(digestFile).trim()).isEqualTo(image.manifestDigest());

        Exec.Result refused = run(config, buildah, "push", "--signature-policy", config.policy(), "--tls-verify=false",
                "--creds", ivan + ":" + password(ivan), local, "docker://" + registry() + "/" + hank + "/built:v2").run();
        assertThat(refused.succeeded()).isFalse();
        assertThat(refused.stderr()).contains(DENIED);
    }

    /** A refresh token from the OAuth2 form ({@code grant_type=password}, {@code access_type=offline}). */
    private String refreshToken(String username, String secret) throws Exception {
        String form = "grant_type=password&service=berth&client_id=test&access_type=offline&username=" + username + "&password=" + secret;
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri("/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String refresh = TestImages.JSON.readTree(answer.body()).path("refresh_token").asString();
        assertThat(refresh).isNotEmpty();
        return refresh;
    }

    private static JsonNode dockerConfig(PrivateDockerd dockerd) throws IOException {
        Path file = dockerd.dir().resolve("cli/config.json");
        return TestImages.JSON.readTree(Files.readString(file));
    }

    private static Exec run(ContainersConfig config, String tool, String... args) {
        List<String> command = new ArrayList<>(List.of(tool));
        command.addAll(List.of(args));
        return Exec.of(command).env(config.environment()).timeout(Duration.ofMinutes(3));
    }
}
