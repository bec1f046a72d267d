package dev.berth.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.auth.Accounts;
import dev.berth.registry.auth.AccessTokens;
import dev.berth.registry.auth.Action;
import dev.berth.testing.RegistryIntegrationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The UI's access rules over real HTTP, with access control on (berth.auth.mode=token). */
@TestPropertySource(properties = {"berth.auth.mode=token", "berth.auth.login-throttle.window=5s",
        "berth.auth.login-throttle.slow-after=3", "berth.auth.login-throttle.refuse-after=3", "berth.auth.login-throttle.delay=0s"})
class UiAccessIT extends RegistryIntegrationTest {

    static final String PASSWORD = "correct-horse-battery";
    private static final Pattern SECRET = Pattern.compile("id=\"new-secret\">(berth_pat_[A-Za-z0-9_-]+)<");

    @Autowired
    Accounts accounts;
    @Autowired
    AccessTokens tokens;

    String id;
    String root;
    String alice;
    String bob;

    /** Accounts of this test's own (the database may be shared with other test classes). */
    @BeforeEach
    void people() {
        id = Long.toString(System.nanoTime(), 36);
        root = "root" + id;
        alice = "alice" + id;
        bob = "bob" + id;
        accounts.createUser(root, PASSWORD, true);
        accounts.createUser(alice, PASSWORD, false);
        accounts.createUser(bob, PASSWORD, false);
    }

    @Test
    void signingInChecksThePasswordAndGoesOnlyToSameSitePaths() throws Exception {
        UiSession s = new UiSession(this::uri);
        assertThat(s.signIn(alice, "wrong-password")).isEqualTo("/login?error");
        assertThat(s.get("/login?error").body()).contains("Wrong user name or password.");
        assertThat(s.get("/").body()).contains(">Sign in<").doesNotContain(alice);

        for (String evil : List.of("https://evil.example/", "//evil.example/", "/\\evil.example", "http:evil.example")) {
            UiSession t = new UiSession(this::uri);
            HttpResponse<String> r = t.submit("/login", "/login", Map.of("username", alice, "password", PASSWORD, "next", evil));
            assertThat(t.location(r)).as(evil).isEqualTo("/");
        }
        UiSession u = new UiSession(this::uri);
        HttpResponse<String> r = u.submit("/login", "/login", Map.of("username", alice, "password", PASSWORD, "next", "/orgs"));
        assertThat(u.location(r)).isEqualTo("/orgs");
        assertThat(u.get("/").body()).contains("aria-label=\"Your account: " + alice + "\"", ">Sign out<");

        // A page that needs an account sends to the sign-in page, and back to itself afterwards.
        UiSession v = new UiSession(this::uri);
        HttpResponse<String> account = v.get("/account");
        assertThat(account.statusCode()).isEqualTo(302);
        assertThat(v.location(account)).isEqualTo("/login");
        assertThat(v.signIn(alice, PASSWORD)).startsWith("/account"); // Spring Security adds ?continue
        // Access tokens are for clients, not for the UI.
        AccessTokens.Issued token = tokensOf(alice);
        assertThat(new UiSession(this::uri).signIn(alice, token.secret())).isEqualTo("/login?error");
    }

    @Test
    void aNewPasswordEndsTheAccountsOtherSessionsButNotTheOneThatSetIt() throws Exception {
        UiSession laptop = new UiSession(this::uri);
        UiSession phone = new UiSession(this::uri);
        assertThat(laptop.signIn(alice, PASSWORD)).isEqualTo("/");
        assertThat(phone.signIn(alice, PASSWORD)).isEqualTo("/");
        assertThat(phone.get("/account").statusCode()).isEqualTo(200);

        String second = "second-" + PASSWORD;
        HttpResponse<String> changed = laptop.submit("/account", "/account/password",
                Map.of("current", PASSWORD, "password", second, "confirm", second));
        assertThat(laptop.location(changed)).isEqualTo("/account");
        assertThat(laptop.get("/account").statusCode()).as("the session that changed it goes on").isEqualTo(200);
        HttpResponse<String> other = phone.get("/account");
        assertThat(other.statusCode()).as("another session of the account ends").isEqualTo(302);
        assertThat(phone.location(other)).isEqualTo("/login");

        // Set by someone else (an administrator, or berth admin reset-password): every session ends.
        accounts.setPassword(accounts.find(alice).orElseThrow().id(), "third-" + PASSWORD);
        assertThat(laptop.get("/account").statusCode()).isEqualTo(302);
        assertThat(new UiSession(this::uri).signIn(alice, "third-" + PASSWORD)).isEqualTo("/");
    }

    @Test
    void aPrivateRepositoryLooksExactlyLikeAMissingOneToWhoMayNotPullIt() throws Exception {
        String repo = alice + "/secret-" + id;
        String missing = alice + "/nothing-" + id;
        UiPagesIT.base().as(root, PASSWORD).push(http, this::uri, repo, "1.0");
        UiSession anonymous = new UiSession(this::uri);
        UiSession outsider = new UiSession(this::uri);
        outsider.signIn(bob, PASSWORD);
        UiSession owner = new UiSession(this::uri);
        owner.signIn(alice, PASSWORD);

        for (UiSession s : List.of(anonymous, outsider)) {
            assertThat(s.get("/").body()).doesNotContain(repo);
            assertThat(s.get("/?q=secret-" + id).body()).contains("0 repositories").doesNotContain(repo);
            for (String page : List.of("", "/-/tag/1.0", "/-/tag/1.0/delete", "/-/compare?a=1.0&b=1.0", "/-/tag/nope")) {
                HttpResponse<String> hidden = s.get("/r/" + repo + page);
                HttpResponse<String> absent = s.get("/r/" + missing + page);
                assertThat(hidden.statusCode()).as(page).isEqualTo(404);
                assertThat(absent.statusCode()).as(page).isEqualTo(404);
                assertThat(comparable(hidden.body()).replace(repo, "NAME")).as(page).isEqualTo(comparable(absent.body()).replace(missing, "NAME"));
            }
        }
        // Nor can it be deleted from outside: without a session no form is accepted, with one it is not there.
        assertThat(anonymous.post("/r/" + repo + "/-/tag/1.0/delete", Map.of()).statusCode()).isEqualTo(403);
        assertThat(outsider.submit("/", "/r/" + repo + "/-/tag/1.0/delete", Map.of()).statusCode()).isEqualTo(404);
        assertThat(anonymous.get("/").body()).doesNotContain("saved by sharing layers");
        assertThat(owner.get("/?q=secret-" + id).body()).contains("1 repository", repo);
        assertThat(owner.get("/r/" + repo).statusCode()).isEqualTo(200);

        // Made public by its owner, anyone sees it.
        HttpResponse<String> made = owner.submit("/r/" + repo, "/repository-visibility", Map.of("repository", repo, "visibility", "public"));
        assertThat(made.statusCode()).isEqualTo(302);
        assertThat(anonymous.get("/r/" + repo).statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/?q=secret-" + id).body()).contains(repo);
        // Someone else cannot change it back.
        assertThat(outsider.submit("/r/" + repo, "/repository-visibility", Map.of("repository", repo, "visibility", "private"))
                .statusCode()).isEqualTo(403);
    }

    @Test
    void theNotFoundPageSaysOnceWhereToGoAndOffersAnonymousCallersToSignIn() throws Exception {
        String repo = alice + "/hidden-" + id;
        UiPagesIT.base().as(root, PASSWORD).push(http, this::uri, repo, "1.0");
        UiSession anonymous = new UiSession(this::uri);
        HttpResponse<String> hidden = anonymous.get("/r/" + repo);
        assertThat(hidden.statusCode()).isEqualTo(404);
        String main = hidden.body().substring(hidden.body().indexOf("<main"));
        assertThat(main.split("Back to all repositories", -1)).as("said once").hasSize(2);
        assertThat(main).contains("If it is private, <a href=\"/login?next=/r/" + repo + "\">sign in</a> to see it.");
        assertThat(hidden.body()).as("and the header's link").contains("<a href=\"/login?next=/r/" + repo + "\">Sign in</a>");
        HttpResponse<String> signIn = anonymous.submit("/login?next=/r/" + repo, "/login",
                Map.of("username", alice, "password", PASSWORD, "next", "/r/" + repo));
        assertThat(anonymous.location(signIn)).as("back to the page after signing in").isEqualTo("/r/" + repo);
        assertThat(anonymous.get("/r/" + repo).statusCode()).isEqualTo(200);

        UiSession outsider = new UiSession(this::uri);
        outsider.signIn(bob, PASSWORD);
        HttpResponse<String> signedIn = outsider.get("/r/" + repo);
        assertThat(signedIn.statusCode()).isEqualTo(404);
        assertThat(signedIn.body()).doesNotContain("If it is private", ">Sign in<").contains("Your account: " + bob);

        // An address no page answers: the same header, the way back said once.
        HttpResponse<String> nowhere = new UiSession(this::uri).get("/nothing-here-" + id);
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertThat(nowhere.body().split("Back to all repositories", -1)).hasSize(2);
        assertThat(nowhere.body()).contains("<a href=\"/login?next=/nothing-here-" + id + "\">Sign in</a>");
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() throws Exception {
        UiSession s = new UiSession(this::uri);
        s.signIn(alice, PASSWORD);
        HttpResponse<String> r = s.post("/account/tokens", Map.of("name", "forged", "scope", "pull"));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(s.get("/account").body()).doesNotContain("forged");
        assertThat(s.post("/logout", Map.of()).statusCode()).isEqualTo(403);
        assertThat(s.get("/").body()).contains(alice);
    }

    @Test
    void tokensAreShownOnceWorkAsPasswordsAndStopWhenRevoked() throws Exception {
        UiSession s = new UiSession(this::uri);
        s.signIn(alice, PASSWORD);
        HttpResponse<String> created = s.submit("/account", "/account/tokens", Map.of("name", "laptop", "scope", "pull", "expires", "30"));
        assertThat(created.statusCode()).isEqualTo(302);
        String page = s.get("/account").body();
        Matcher m = SECRET.matcher(page);
        assertThat(m.find()).as("the secret is on the page after creation").isTrue();
        String secret = m.group(1);
        assertThat(page).contains("docker login -u " + alice + " --password-stdin");
        assertThat(s.get("/account").body()).as("shown once").doesNotContain(secret).contains("laptop");
        assertThat(signsIn(alice, secret)).isTrue();

        long tokenId = Long.parseLong(page.replaceAll("(?s).*action=\"/account/tokens/(\\d+)/revoke\".*", "$1"));
        assertThat(s.submit("/account", "/account/tokens/" + tokenId + "/revoke", Map.of()).statusCode()).isEqualTo(302);
        assertThat(signsIn(alice, secret)).isFalse();

        UiSession admin = new UiSession(this::uri);
        admin.signIn(root, PASSWORD);
        assertThat(admin.get("/admin/audit").body()).contains("token.create", "token.revoke", "token laptop of " + alice);
    }

    @Test
    void adminPagesAreForAdministratorsAndWriteTheAuditLog() throws Exception {
        UiSession user = new UiSession(this::uri);
        user.signIn(bob, PASSWORD);
        assertThat(user.get("/admin/users").statusCode()).isEqualTo(403);
        assertThat(user.get("/admin/audit").statusCode()).isEqualTo(403);
        assertThat(new UiSession(this::uri).get("/admin/users").statusCode()).isEqualTo(302);

        UiSession admin = new UiSession(this::uri);
        admin.signIn(root, PASSWORD);
        String carol = "carol" + id;
        admin.submit("/admin/users", "/admin/users", Map.of("username", carol, "password", PASSWORD));
        assertThat(admin.get("/admin/users").body()).contains("Created " + carol + ".", "data-user=\"" + carol + "\"");
        long carolId = accounts.find(carol).orElseThrow().id();
        admin.submit("/admin/users", "/admin/users/" + carolId + "/disable", Map.of());
        assertThat(new UiSession(this::uri).signIn(carol, PASSWORD)).isEqualTo("/login?error");
        long rootId = accounts.find(root).orElseThrow().id();
        admin.submit("/admin/users", "/admin/users/" + rootId + "/revoke-admin", Map.of());
        assertThat(admin.get("/admin/users").body()).contains("You cannot revoke admin your own account.");
        assertThat(admin.get("/admin/audit").body()).contains("user.create", "user " + carol, "user.disable");
    }

    @Test
    void organizationAdminsManageMembersAndDeletesFollowTheRoles() throws Exception {
        String org = "org" + id;
        String repo = org + "/app";
        UiPagesIT.base().as(root, PASSWORD).push(http, this::uri, repo, "1.0");
        UiSession a = new UiSession(this::uri);
        a.signIn(alice, PASSWORD);
        assertThat(a.location(a.submit("/orgs", "/orgs", Map.of("name", org)))).isEqualTo("/orgs/" + org);
        a.submit("/orgs/" + org, "/orgs/" + org + "/members", Map.of("username", bob, "role", "read"));
        String page = a.get("/orgs/" + org).body();
        assertThat(page).contains("data-member=\"" + bob + "\"");
        long aliceId = accounts.find(alice).orElseThrow().id();
        a.submit("/orgs/" + org, "/orgs/" + org + "/members/" + aliceId + "/remove", Map.of());
        assertThat(a.get("/orgs/" + org).body()).contains("would have no administrator left");

        UiSession b = new UiSession(this::uri);
        b.signIn(bob, PASSWORD);
        assertThat(b.get("/r/" + repo).statusCode()).as("a reader pulls").isEqualTo(200);
        assertThat(b.get("/r/" + repo + "/-/tag/1.0").body()).doesNotContain("Delete manifest");
        assertThat(b.submit("/r/" + repo, "/r/" + repo + "/-/tag/1.0/delete", Map.of()).statusCode()).isEqualTo(403);
        assertThat(b.submit("/orgs/" + org, "/orgs/" + org + "/members", Map.of("username", bob, "role", "admin")).statusCode()).isEqualTo(403);
        String carol = "carol" + id;
        accounts.createUser(carol, PASSWORD, false);
        UiSession outsider = new UiSession(this::uri);
        outsider.signIn(carol, PASSWORD);
        assertThat(outsider.get("/orgs/" + org).statusCode()).as("not a member: not there").isEqualTo(404);
        assertThat(outsider.get("/r/" + repo).statusCode()).isEqualTo(404);

        HttpResponse<String> deleted = a.submit("/r/" + repo + "/-/tag/1.0/delete", "/r/" + repo + "/-/tag/1.0/delete", Map.of());
        assertThat(deleted.statusCode()).isEqualTo(302);
        HttpResponse<String> gone = http.send(java.net.http.HttpRequest.newBuilder(uri("/v2/" + repo + "/manifests/1.0"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((root + ":" + PASSWORD).getBytes()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(gone.statusCode()).as("gone from the registry too").isEqualTo(404);
        UiSession admin = new UiSession(this::uri);
        admin.signIn(root, PASSWORD);
        assertThat(admin.get("/admin/audit").body()).contains("org.create", "member.set", "tag.delete", repo + ":1.0");
        assertThat(admin.get("/").body()).contains("saved by sharing layers");
        assertThat(admin.get("/orgs/" + org).statusCode()).as("the registry's administrators see every organization").isEqualTo(200);
        assertThat(new UiSession(this::uri).get("/orgs/" + org).statusCode()).isEqualTo(302);
    }

    @Test
    void anAddressThatKeepsFailingIsToldToWaitWith429() throws Exception {
        UiSession s = new UiSession(this::uri);
        for (int i = 0; i < 3; i++) {
            s.signIn(bob, "wrong-" + i);
        }
        HttpResponse<String> page = s.get("/login?error");
        assertThat(page.statusCode()).isEqualTo(429);
        assertThat(page.body()).contains("Too many failed sign-ins from your address");
        assertThat(s.signIn(bob, PASSWORD)).as("even the right password waits").isEqualTo("/login?error");
        Thread.sleep(5500); // the window (5 s here) passes
        assertThat(s.signIn(bob, PASSWORD)).isEqualTo("/");
    }

    @Test
    void theRegistryApiAndActuatorNeverMeetSpringSecurity() throws Exception {
        // Spring Security marks every response it handles (X-Frame-Options, Cache-Control) and wants
        // a CSRF token on every POST; /v2 and /actuator must show neither.
        assertThat(get("/").headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(get("/").headers().allValues("Set-Cookie")).as("browsing anonymously makes no session").isEmpty();
        for (String path : List.of("/v2/", "/v2/_catalog", "/actuator/health", "/v2/no/such/repo/tags/list")) {
            HttpResponse<String> r = get(path);
            assertThat(r.headers().firstValue("X-Frame-Options")).as(path).isEmpty();
            assertThat(r.headers().allValues("Set-Cookie")).as(path).isEmpty();
        }
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(uri("/v2/" + alice + "/bypass/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as("no CSRF token asked of the registry API").isIn(202, 401);
        HttpResponse<String> error = get("/v2/" + alice + "/bypass/manifests/nope");
        assertThat(error.body()).as("the API keeps its own error envelope").contains("\"errors\"");
    }

    /** Whether a secret signs in as a password: over /v2 when it asks for credentials, else through the accounts. */
    private boolean signsIn(String username, String secret) throws Exception {
        if (get("/v2/").statusCode() == 401) {
            String basic = Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
            return http.send(HttpRequest.newBuilder(uri("/v2/")).header("Authorization", "Basic " + basic).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        }
        return accounts.authenticate(username, secret).isPresent(); // until /v2 enforces access control (branch auth)
    }

    private AccessTokens.Issued tokensOf(String username) {
        return tokens.create(accounts.find(username).orElseThrow().id(), "t" + System.nanoTime(), EnumSet.of(Action.PULL), null);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A page without its per-request CSRF tokens. */
    static String comparable(String html) {
        return html.replaceAll("name=\"_csrf\" value=\"[^\"]*\"", "").replaceAll("name=\"csrf-token\" content=\"[^\"]*\"", "");
    }
}
