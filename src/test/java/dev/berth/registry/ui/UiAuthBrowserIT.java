package dev.berth.registry.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.registry.auth.Accounts;
import dev.berth.testing.Chromium;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Signing in, tokens, organizations and private repositories in a real Chromium, with access
 * control on; a screenshot of each page in target/screenshots. (Same properties as UiAccessIT,
 * so both share one server.)
 */
@DatabaseNeutral
@TestPropertySource(properties = {"berth.auth.mode=token", "berth.auth.login-throttle.window=5s",
        "berth.auth.login-throttle.slow-after=3", "berth.auth.login-throttle.refuse-after=3", "berth.auth.login-throttle.delay=0s"})
class UiAuthBrowserIT extends RegistryIntegrationTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String PASSWORD = UiAccessIT.PASSWORD;

    private static Chromium chromium;
    private static Browser browser;
    private final List<BrowserContext> contexts = new CopyOnWriteArrayList<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final List<List<String>> policyViolations = new CopyOnWriteArrayList<>();

    @Autowired
    Accounts accounts;

    private String id;
    private String root;
    private String alice;
    private String bob;

    @BeforeAll
    static void launchChromium() {
        chromium = Chromium.launch();
        browser = chromium.browser();
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

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

    @AfterEach
    void closeContexts() {
        contexts.forEach(BrowserContext::close);
        // Every request stayed on this registry: no asset from elsewhere, no redirect to another site.
        assertThat(requested).allSatisfy(url -> assertThat(url).startsWith(base() + "/"));
        // The pages worked under their Content-Security-Policy, and it refused nothing they hold.
        assertThat(policyViolations).allSatisfy(refused -> assertThat(refused).isEmpty());
    }

    @Test
    void signInMakeAUserAndATokenShownOnceRevokeItAndReadTheAuditLog() throws Exception {
        Page page = newPage(true);
        page.navigate(base() + "/login");
        page.getByLabel("User name").fill(root);
        page.getByLabel("Password").fill("not-the-password");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("Wrong user name or password.");
        shot(page, "20-sign-in-wrong-password");
        page.getByLabel("User name").fill(root);
        page.getByLabel("Password").fill(PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page).hasURL(base() + "/");
        assertThat(page.getByLabel("Your account: " + root)).isVisible();
        shot(page, "21-home-signed-in-as-admin");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Users").setExact(true)).click();
        String carol = "carol" + id;
        page.getByLabel("User name").fill(carol);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create user")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Created " + carol + ".");
        assertThat(page.locator("tr[data-user='" + carol + "']")).containsText("active");
        shot(page, "22-admin-users");

        page.getByLabel("Your account: " + root).click();
        page.getByLabel("Token name").fill("ci");
        page.getByLabel("push").check();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create token")).click();
        Locator secret = page.locator("#new-secret");
        assertThat(secret).isVisible();
        String token = secret.textContent();
        assertThat(token).startsWith("berth_pat_");
        page.getByLabel("Copy the token").click();
        assertThat((String) page.evaluate("navigator.clipboard.readText()")).isEqualTo(token);
        assertThat(page.locator("main")).containsText("docker login -u " + root + " --password-stdin");
        shot(page, "23-account-token-shown-once");
        assertThat(signsIn(root, token)).isTrue();

        page.reload();
        assertThat(page.locator("#new-secret")).hasCount(0);
        assertThat(page.locator("main")).not().containsText(token);
        page.getByLabel("Revoke token ci").click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Token revoked");
        shot(page, "24-account-token-revoked");
        assertThat(signsIn(root, token)).isFalse();

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Audit log")).click();
        Locator log = page.locator("main table");
        assertThat(log).containsText("token.revoke");
        assertThat(log).containsText("token.create");
        assertThat(log).containsText("user " + carol);
        shot(page, "25-admin-audit");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
    }

    @Test
    void aPrivateRepositoryIsInvisibleUntilMadePublicAndAnOrganizationManagesItsMembers() throws Exception {
        String repo = alice + "/private-" + id;
        UiPagesIT.base().as(root, PASSWORD).push(http, this::uri, repo, "1.0");
        Page anonymous = newPage(false);
        anonymous.navigate(base() + "/?q=private-" + id);
        assertThat(anonymous.locator("#results")).containsText("0 repositories");
        anonymous.navigate(base() + "/r/" + repo);
        assertThat(anonymous.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Not found"))).isVisible();
        String hiddenText = anonymous.locator("main").innerText();
        anonymous.navigate(base() + "/r/" + alice + "/never-pushed-" + id);
        assertThat(anonymous.locator("main").innerText().replace("never-pushed-", "private-")).isEqualTo(hiddenText);
        shot(anonymous, "26-private-repository-anonymous");

        Page outsider = newPage(false);
        signIn(outsider, "/r/" + repo, bob);
        assertThat(outsider.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Not found"))).isVisible();

        Page owner = newPage(false);
        signIn(owner, "/r/" + repo, alice);
        assertThat(owner).hasURL(base() + "/r/" + repo);
        assertThat(owner.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(repo).setLevel(1))).isVisible();
        owner.getByLabel("Who may pull").selectOption("public");
        owner.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
        assertThat(owner.getByRole(AriaRole.STATUS)).containsText(repo + " is now public.");
        shot(owner, "27-repository-made-public");
        anonymous.navigate(base() + "/r/" + repo);
        assertThat(anonymous.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(repo).setLevel(1))).isVisible();

        String org = "team" + id;
        owner.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Organizations")).click();
        owner.getByLabel("Name").fill(org);
        owner.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create organization")).click();
        assertThat(owner.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(org).setLevel(1))).isVisible();
        owner.getByLabel("Add user").fill(bob);
        owner.getByLabel("Role", new Page.GetByLabelOptions().setExact(true)).selectOption("write");
        owner.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add member")).click();
        assertThat(owner.locator("tr[data-member='" + bob + "']")).containsText("write");
        owner.getByLabel("Remove " + alice).click();
        assertThat(owner.getByRole(AriaRole.ALERT)).containsText("would have no administrator left");
        owner.getByLabel("New robot name").fill("ci");
        owner.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create robot")).click();
        Locator robot = owner.locator("[data-robot='" + org + "+ci']");
        robot.getByLabel("Token name").fill("pipeline");
        robot.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create token")).click();
        assertThat(owner.locator("#new-secret")).isVisible();
        String robotToken = owner.locator("#new-secret").textContent();
        assertThat(owner.locator("main")).containsText("docker login -u " + org + "+ci --password-stdin");
        shot(owner, "28-organization");
        assertThat(signsIn(org + "+ci", robotToken)).isTrue();
        owner.reload();
        shot(owner, "29-organization-after-reload");
    }

    @Test
    void aNextPointingElsewhereLandsOnThisSite() {
        for (String next : List.of("https://evil.example/", "//evil.example/", "/\\evil.example")) {
            Page page = newPage(false);
            page.navigate(base() + "/login?next=" + java.net.URLEncoder.encode(next, StandardCharsets.UTF_8));
            page.getByLabel("User name").fill(alice);
            page.getByLabel("Password").fill(PASSWORD);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
            assertThat(page).hasURL(base() + "/");
        }
    }

    private Page newPage(boolean clipboard) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        if (clipboard) {
            context.grantPermissions(List.of("clipboard-read", "clipboard-write"), new BrowserContext.GrantPermissionsOptions().setOrigin(base()));
        }
        context.onRequest(r -> requested.add(r.url()));
        policyViolations.add(Chromium.policyViolations(context));
        contexts.add(context);
        return context.newPage();
    }

    private void signIn(Page page, String next, String username) {
        page.navigate(base() + "/login?next=" + next);
        page.getByLabel("User name").fill(username);
        page.getByLabel("Password").fill(PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForURL(base() + next);
    }

    /** Whether a secret signs in as a password: over /v2 when it asks for credentials, else through the accounts. */
    private boolean signsIn(String username, String secret) throws Exception {
        if (http.send(HttpRequest.newBuilder(uri("/v2/")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 401) {
            String basic = Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
            return http.send(HttpRequest.newBuilder(uri("/v2/")).header("Authorization", "Basic " + basic).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }
        return accounts.authenticate(username, secret).isPresent(); // until /v2 enforces access control (branch auth)
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }
}
