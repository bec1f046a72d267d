package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Docker token auth over real HTTP: challenges, the token endpoint, grants, and tokens refused at /v2. */
class TokenAuthIT extends TokenModeIntegrationTest {

    @Autowired
    RegistryTokens registryTokens;

    @Test
    void anonymousCallersAreChallengedAndGetAnAnonymousToken() {
        Http http = Http.fresh(port);
        Http.Answer base = http.get("/v2/", null);
        assertThat(base.status()).isEqualTo(401);
        assertThat(base.header("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"http://127.0.0.1:" + port + "/token\",service=\"berth\"");
        assertThat(base.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(base.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");

        Http.Answer answer = tokenAnswer(http, null, "repository:nobody/app:pull");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("token").asString()).isEqualTo(answer.json().path("access_token").asString());
        assertThat(answer.json().path("expires_in").asInt()).isEqualTo(300);
        assertThat(Instant.parse(answer.json().path("issued_at").asString())).isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(answer.json().has("refresh_token")).isFalse();
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        String token = answer.json().path("token").asString();
        assertThat(access(token)).as("nothing private or missing is granted to anonymous").isEmpty();
        assertThat(http.get("/v2/", Http.bearer(token)).status()).as("a valid token opens /v2/").isEqualTo(200);
    }

    @Test
    void basicCredentialsWorkStraightAgainstV2() {
        String alice = newUser("alice");
        Http http = Http.fresh(port);
        assertThat(http.get("/v2/", Http.basic(alice, password(alice))).status()).isEqualTo(200);
        Pushed pushed = pushImage(http, Http.basic(alice, password(alice)), alice + "/basic", "v1");
        Http.Answer manifest = http.get("/v2/" + alice + "/basic/manifests/v1", Http.basic(alice, password(alice)));
        assertThat(manifest.status()).isEqualTo(200);
        assertThat(sha256(manifest.body())).isEqualTo(pushed.manifest());

        Http.Answer wrong = http.get("/v2/", Http.basic(alice, "not-her-password"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("errors").path(0).path("message").asString()).isEqualTo("incorrect username or password");
        assertThat(wrong.header("WWW-Authenticate")).startsWith("Bearer realm=");
    }

    @Test
    void theTokenGrantsTheIntersectionOfWhatWasAskedAndWhatIsAllowed() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        String owner = newUser("owner");
        String reader = newUser("reader");
        String org = unique("org");
        namespaces.createOrganization(org, id(owner));
        namespaces.setMember(org, id(reader), Role.READ);
        Http http = Http.fresh(port);

        String token = token(http, Http.basic(alice, password(alice)), "repository:" + alice + "/app:pull,push,delete",
                "repository:" + bob + "/app:pull,push", "repository:" + bob + "/other:*", "registry:catalog:*",
                "repository:Not_A_Name:pull", "repository:" + org + "/svc:pull");
        assertThat(access(token)).containsExactly("repository:" + alice + "/app:pull,push,delete", "registry:catalog:*");

        // Several scopes in one parameter, space-separated, as the OAuth2 form sends them.
        String reading = token(http, Http.basic(reader, password(reader)),
                "repository:" + org + "/svc:pull,push,delete repository:" + org + "/other:push");
        assertThat(access(reading)).containsExactly("repository:" + org + "/svc:pull");

        String anonymous = token(http, null, "repository:" + alice + "/app:pull", "registry:catalog:*");
        assertThat(access(anonymous)).isEmpty();
        assertThat(http.get("/v2/_catalog", Http.bearer(anonymous)).status()).isEqualTo(401);
    }

    @Test
    void aPullOnlyAccessTokenNeverGetsMoreThanPull() {
        String erin = newUser("erin");
        AccessTokens.Issued pat = tokens.create(id(erin), "ci", EnumSet.of(Action.PULL), null);
        Http http = Http.fresh(port);
        pushImage(http, Http.basic(erin, password(erin)), erin + "/app", "v1");

        String token = token(http, Http.basic(erin, pat.secret()), "repository:" + erin + "/app:pull,push,delete");
        assertThat(access(token)).containsExactly("repository:" + erin + "/app:pull");
        assertThat(http.get("/v2/" + erin + "/app/manifests/v1", Http.bearer(token)).status()).isEqualTo(200);
        Http.Answer push = http.send("POST", "/v2/" + erin + "/app/blobs/uploads/", Http.bearer(token), Map.of(), null);
        assertThat(push.status()).isEqualTo(401);
        assertThat(push.header("WWW-Authenticate")).endsWith(",scope=\"repository:" + erin + "/app:pull,push\",error=\"insufficient_scope\"");
        assertThat(push.errorCode()).isEqualTo("UNAUTHORIZED");
        // Basic with the same access token is capped the same way.
        assertThat(http.send("POST", "/v2/" + erin + "/app/blobs/uploads/", Http.basic(erin, pat.secret()), Map.of(), null)
                .status()).isEqualTo(401);
    }

    @Test
    void aTokenForOneRepositoryNeverWorksOnAnother() {
        String alice = newUser("alice");
        String bob = newUser("bob");
        Http http = Http.fresh(port);
        pushImage(http, Http.basic(alice, password(alice)), alice + "/a", "v1");
        pushImage(http, Http.basic(alice, password(alice)), alice + "/b", "v1");
        pushImage(http, Http.basic(bob, password(bob)), bob + "/app", "v1");

        String forA = token(http, Http.basic(alice, password(alice)), "repository:" + alice + "/a:pull,push,delete");
        assertThat(http.get("/v2/" + alice + "/a/manifests/v1", Http.bearer(forA)).status()).isEqualTo(200);
        Http.Answer onB = http.get("/v2/" + alice + "/b/manifests/v1", Http.bearer(forA));
        assertThat(onB.status()).isEqualTo(401);
        assertThat(onB.header("WWW-Authenticate")).contains("scope=\"repository:" + alice + "/b:pull\"", "error=\"insufficient_scope\"");
        assertThat(http.send("DELETE", "/v2/" + alice + "/b/manifests/v1", Http.bearer(forA), Map.of(), null).status()).isEqualTo(401);

        // Escalation: asking for bob's repository with alice's password grants nothing there.
        String escalated = token(http, Http.basic(alice, password(alice)), "repository:" + bob + "/app:pull,push,delete,*");
        assertThat(access(escalated)).isEmpty();
        Pushed own = pushImage(http, Http.basic(alice, password(alice)), alice + "/c", "v1");
        assertThat(http.send("PUT", "/v2/" + bob + "/app/manifests/v2", Http.bearer(escalated),
                Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json"), own.manifestBytes()).status()).isEqualTo(401);
        assertThat(http.get("/v2/" + bob + "/app/manifests/v1", Http.bearer(escalated)).status()).isEqualTo(401);
    }

    @Test
    void tamperedExpiredForeignAndWrongAudienceTokensAreRefusedAtV2() {
        String alice = newUser("alice");
        Http http = Http.fresh(port);
        pushImage(http, Http.basic(alice, password(alice)), alice + "/app", "v1");
        String scope = "repository:" + alice + "/app:pull";
        String good = token(http, Http.basic(alice, password(alice)), scope);
        assertThat(http.get("/v2/" + alice + "/app/manifests/v1", Http.bearer(good)).status()).isEqualTo(200);

        String[] parts = good.split("\\.");
        byte[] signature = java.util.Base64.getUrlDecoder().decode(parts[2]);
        signature[5] ^= 0x40;
        String tampered = parts[0] + "." + parts[1] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        Path serverKey = DATA_DIR.resolve("auth/token-signing-key.pem");
        Clock hourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        List<Scope> access = List.of(new Scope("repository", alice + "/app", Set.of("pull")));
        Map<String, String> refused = Map.of(
                "tampered signature", tampered,
                "alg none", java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        "{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".",
                "expired", otherTokens(serverKey, "berth", "berth", hourAgo).issue(alice, access).token(),
                "wrong audience", otherTokens(serverKey, "other-registry", "berth", Clock.systemUTC()).issue(alice, access).token(),
                "wrong issuer", otherTokens(serverKey, "berth", "mallory", Clock.systemUTC()).issue(alice, access).token(),
                "another key", otherTokens(DATA_DIR.resolve("other-key-" + System.nanoTime() + ".pem"), "berth", "berth",
                        Clock.systemUTC()).issue(alice, access).token());
        refused.forEach((what, token) -> {
            Http.Answer a = http.get("/v2/" + alice + "/app/manifests/v1", Http.bearer(token));
            assertThat(a.status()).as(what).isEqualTo(401);
            assertThat(a.header("WWW-Authenticate")).as(what).endsWith(",error=\"invalid_token\"");
            assertThat(a.errorCode()).as(what).isEqualTo("UNAUTHORIZED");
            assertThat(http.get("/v2/", Http.bearer(token)).status()).as(what + " on /v2/").isEqualTo(401);
        });
        // A refresh token (of the OAuth2 form) is no access token either.
        Http.Answer offline = post(http, "grant_type=password&service=berth&client_id=test&access_type=offline&username="
                + alice + "&password=" + password(alice));
        String refresh = offline.json().path("refresh_token").asString();
        assertThat(refresh).isNotEmpty();
        assertThat(http.get("/v2/", Http.bearer(refresh)).status()).isEqualTo(401);
    }

    @Test
    void aPasswordLoginByGetGetsNoRefreshTokenWhateverItAsks() {
        // What docker login sends. A refresh token here would end up as the identitytoken of docker's
        // config.json, which podman, skopeo and buildah reading that file cannot use.
        String dora = newUser("dora");
        AccessTokens.Issued pat = tokens.create(id(dora), "laptop", EnumSet.of(Action.PULL), null);
        Http http = Http.fresh(port);
        for (String secret : List.of(password(dora), pat.secret())) {
            Http.Answer login = http.get("/token?service=berth&offline_token=true&client_id=docker&account=" + dora,
                    Http.basic(dora, secret));
            assertThat(login.status()).as(login.text()).isEqualTo(200);
            assertThat(login.json().path("token").asString()).isNotEmpty();
            assertThat(login.json().has("refresh_token")).as("no refresh token for a GET login").isFalse();
        }
    }

    @Test
    void offlineTokensRefreshThroughTheOAuthFormUntilThePasswordChanges() {
        String frank = newUser("frank");
        Http http = Http.fresh(port);
        pushImage(http, Http.basic(frank, password(frank)), frank + "/app", "v1");
        Http.Answer login = post(http, "grant_type=password&service=berth&client_id=docker&access_type=offline&username="
                + frank + "&password=" + password(frank));
        assertThat(login.status()).isEqualTo(200);
        String refresh = login.json().path("refresh_token").asString();
        assertThat(refresh).isNotEmpty();
        assertThat(post(http, "grant_type=password&service=berth&client_id=docker&username=" + frank + "&password="
                + password(frank)).json().has("refresh_token")).as("only with access_type=offline").isFalse();

        Http.Answer refreshed = post(http, "grant_type=refresh_token&service=berth&client_id=docker&refresh_token=" + refresh
                + "&scope=" + URLEncoder.encode("repository:" + frank + "/app:pull,push", StandardCharsets.UTF_8));
        assertThat(refreshed.status()).as(refreshed.text()).isEqualTo(200);
        String access = refreshed.json().path("access_token").asString();
        assertThat(access(access)).containsExactly("repository:" + frank + "/app:pull,push");
        assertThat(http.get("/v2/" + frank + "/app/manifests/v1", Http.bearer(access)).status()).isEqualTo(200);

        Http.Answer byPassword = post(http, "grant_type=password&service=berth&client_id=test&access_type=offline&username="
                + frank + "&password=" + password(frank) + "&scope=" + URLEncoder.encode("repository:" + frank + "/app:pull", StandardCharsets.UTF_8));
        assertThat(byPassword.status()).isEqualTo(200);
        assertThat(byPassword.json().path("refresh_token").asString()).isNotEmpty();
        assertThat(access(byPassword.json().path("access_token").asString())).containsExactly("repository:" + frank + "/app:pull");

        accounts.setPassword(id(frank), "frank-new-password");
        Http.Answer stale = post(http, "grant_type=refresh_token&service=berth&client_id=docker&refresh_token=" + refresh);
        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(stale.text()).contains("the password has changed since");
    }

    @Test
    void aRefreshTokenIssuedThroughAnAccessTokenDiesWithIt() {
        String gina = newUser("gina");
        AccessTokens.Issued pat = tokens.create(id(gina), "laptop", EnumSet.of(Action.PULL, Action.PUSH), null);
        Http http = Http.fresh(port);
        String refresh = post(http, "grant_type=password&service=berth&access_type=offline&username=" + gina
                + "&password=" + pat.secret()).json().path("refresh_token").asString();
        assertThat(refresh).isNotEmpty();
        Http.Answer refreshed = post(http, "grant_type=refresh_token&service=berth&refresh_token=" + refresh
                + "&scope=" + URLEncoder.encode("repository:" + gina + "/app:pull,push,delete", StandardCharsets.UTF_8));
        assertThat(access(refreshed.json().path("access_token").asString()))
                .as("capped by the access token's scopes").containsExactly("repository:" + gina + "/app:pull,push");

        tokens.revoke(id(gina), pat.token().id());
        assertThat(post(http, "grant_type=refresh_token&service=berth&refresh_token=" + refresh).status()).isEqualTo(401);
    }

    @Test
    void badRequestsToTheTokenEndpointAreRefused() {
        String hank = newUser("hank");
        Http http = Http.fresh(port);
        Http.Answer otherService = http.get("/token?service=elsewhere&scope=repository:x/y:pull", null);
        assertThat(otherService.status()).isEqualTo(400);
        assertThat(otherService.text()).contains("unknown service elsewhere");
        assertThat(post(http, "grant_type=client_credentials&service=berth").status()).isEqualTo(400);
        assertThat(http.get("/token?service=berth&account=someone-else", Http.basic(hank, password(hank))).status()).isEqualTo(400);

        Http.Answer wrong = http.get("/token?service=berth", Http.basic(hank, "wrong-password"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errorCode()).isEqualTo("UNAUTHORIZED");
        assertThat(wrong.json().path("errors").path(0).path("message").asString()).isEqualTo("incorrect username or password");
        assertThat(post(http, "grant_type=password&service=berth&username=" + hank + "&password=wrong").status()).isEqualTo(401);
        assertThat(post(http, "grant_type=refresh_token&service=berth&refresh_token=forged").status()).isEqualTo(401);
    }

    @Test
    void repeatedFailuresFromOneAddressAreSlowedThenAnswered429() {
        String ivan = newUser("ivan");
        Http attacker = Http.fresh(port);
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            Http.Answer a = i % 2 == 0 ? attacker.get("/token?service=berth", Http.basic(ivan, "guess-" + i))
                    : attacker.get("/v2/", Http.basic(ivan, "guess-" + i));
            assertThat(a.status()).as("attempt %d", i + 1).isEqualTo(401);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("attempts 6 to 10 wait a second each")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(5));

        for (Http.Answer a : List.of(attacker.get("/token?service=berth", Http.basic(ivan, password(ivan))),
                attacker.get("/v2/", Http.basic(ivan, password(ivan))))) {
            assertThat(a.status()).as("even the right password, from that address").isEqualTo(429);
            assertThat(a.errorCode()).isEqualTo("TOOMANYREQUESTS");
            assertThat(Long.parseLong(a.header("Retry-After"))).isBetween(1L, 301L);
        }
        assertThat(Http.fresh(port).get("/v2/", Http.basic(ivan, password(ivan))).status())
                .as("another address is not affected").isEqualTo(200);
    }

    private Http.Answer post(Http http, String form) {
        return http.send("POST", "/token", null, Map.of("Content-Type", "application/x-www-form-urlencoded"),
                form.getBytes(StandardCharsets.UTF_8));
    }

    private static RegistryTokens otherTokens(Path key, String service, String issuer, Clock clock) {
        return new RegistryTokens(new AuthProperties.Token(null, service, issuer, Duration.ofMinutes(5), Duration.ofDays(30), null),
                SigningKeyFile.loadOrCreate(key), clock);
    }
}
