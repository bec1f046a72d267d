package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.RegistryIntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of the tests that run the registry with access control on ({@code berth.auth.mode=token})
 * and a known administrator password. Every subclass shares one server (the same properties make
 * the same Spring context), so each test makes users and repositories of its own.
 */
@TestPropertySource(properties = {"berth.auth.mode=token", "berth.auth.admin-password=" + TokenModeIntegrationTest.ADMIN_PASSWORD})
public abstract class TokenModeIntegrationTest extends RegistryIntegrationTest {

    public static final String ADMIN_PASSWORD = "first-start-secret";

    @Autowired
    protected Accounts accounts;
    @Autowired
    protected AccessTokens tokens;
    @Autowired
    protected Namespaces namespaces;
    @Autowired
    protected AccessPolicy policy;
    @Autowired
    protected AuditLog audit;

    /** Creates a user named {@code prefix} plus a unique suffix; the password is {@link #password}. */
    protected String newUser(String prefix) {
        String name = unique(prefix);
        accounts.createUser(name, password(name), false);
        return name;
    }

    protected static String password(String username) {
        return username + "-password";
    }

    protected long id(String username) {
        return accounts.find(username).orElseThrow().id();
    }

    protected static String unique(String prefix) {
        return prefix + Long.toString(System.nanoTime(), 36);
    }

    /** A pushed image: its manifest, config and layer digests. */
    protected record Pushed(String manifest, String config, String layer, byte[] manifestBytes) {
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pushes a blob in one POST; asserts 201. */
    static String pushBlob(Http http, String authorization, String repository, byte[] content) {
        String digest = sha256(content);
        Http.Answer a = http.send("POST", "/v2/" + repository + "/blobs/uploads/?digest=" + digest, authorization,
                Map.of("Content-Type", "application/octet-stream"), content);
        assertThat(a.status()).as("blob push to %s: %s", repository, a.text()).isEqualTo(201);
        return digest;
    }

    /** Pushes a one-layer OCI image (random layer bytes) under {@code tag}; asserts every step. */
    static Pushed pushImage(Http http, String authorization, String repository, String tag) {
        byte[] layer = new byte[64];
        ThreadLocalRandom.current().nextBytes(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"n\":\""
                + System.nanoTime() + "\"}").getBytes(StandardCharsets.UTF_8);
        String layerDigest = pushBlob(http, authorization, repository, layer);
        String configDigest = pushBlob(http, authorization, repository, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        Http.Answer a = http.send("PUT", "/v2/" + repository + "/manifests/" + tag, authorization,
                Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json"), manifest);
        assertThat(a.status()).as("manifest push to %s: %s", repository, a.text()).isEqualTo(201);
        return new Pushed(sha256(manifest), configDigest, layerDigest, manifest);
    }

    /** {@code GET /token} with the given scopes; asserts 200 and returns the token. */
    static String token(Http http, String authorization, String... scopes) {
        Http.Answer a = tokenAnswer(http, authorization, scopes);
        assertThat(a.status()).as("token: %s", a.text()).isEqualTo(200);
        return a.json().path("token").asString();
    }

    static Http.Answer tokenAnswer(Http http, String authorization, String... scopes) {
        StringBuilder query = new StringBuilder("/token?service=berth");
        for (String s : scopes) {
            query.append("&scope=").append(URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        return http.get(query.toString(), authorization);
    }

    /** The {@code access} claim of a token, as {@code type:name:actions} strings. */
    static List<String> access(String token) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        List<String> out = new java.util.ArrayList<>();
        Http.JSON.readTree(payload).path("access").forEach(e -> {
            List<String> actions = new java.util.ArrayList<>();
            e.path("actions").forEach(x -> actions.add(x.asString()));
            out.add(e.path("type").asString() + ":" + e.path("name").asString() + ":" + String.join(",", actions));
        });
        return out;
    }
}
