package dev.berth.registry.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.berth.testing.Chromium;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.TestImageBuilder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The UI in a real Chromium (Debian's, driven by Playwright), against images pushed over /v2:
 * the journeys a person takes, with a screenshot of each page in target/screenshots.
 */
@DatabaseNeutral
class UiBrowserIT extends RegistryIntegrationTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static Chromium chromium;
    private static Browser browser;
    private BrowserContext context;
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final List<List<String>> policyViolations = new CopyOnWriteArrayList<>();

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
    void openContext() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        context.grantPermissions(List.of("clipboard-read", "clipboard-write"), new BrowserContext.GrantPermissionsOptions().setOrigin(base()));
        context.onRequest(r -> requested.add(r.url()));
        policyViolations.add(Chromium.policyViolations(context));
    }

    @AfterEach
    void closeContext() {
        context.close();
        // Every page, script, style and font came from this registry: nothing from another site.
        assertThat(requested).allSatisfy(url -> assertThat(url).startsWith(base() + "/"));
        // The pages worked under their Content-Security-Policy, and it refused nothing they hold.
        assertThat(policyViolations).allSatisfy(refused -> assertThat(refused).isEmpty());
    }

    @Test
    void searchOpenACopyPullBrowseALayerCompareAndDelete() throws Exception {
        String id = Long.toString(System.nanoTime(), 36);
        String name = "browser/app-" + id;
        UiPagesIT.base().push(http, this::uri, name, "1.0");
        UiPagesIT.withSecretRemoved().push(http, this::uri, name, "2.0");
        Page page = context.newPage();

        page.navigate(base() + "/");
        shot(page, "01-home");
        page.getByLabel("Search by name").fill("app-" + id);
        Locator result = page.locator("#results").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(name));
        assertThat(result).isVisible();
        assertThat(page.locator("#results")).containsText("1 repository");
        assertThat(page).hasURL(java.util.regex.Pattern.compile("q=app-" + id)); // htmx pushed the search into the URL
        shot(page, "02-home-search");

        result.click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(name).setLevel(1))).isVisible();
        page.getByLabel("Copy the docker pull command").click();
        String copied = (String) page.evaluate("navigator.clipboard.readText()");
        assertThat(copied).isEqualTo("docker pull 127.0.0.1:" + port + "/" + name + ":2.0");
        shot(page, "03-repository");

        page.locator("#tags").getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("2.0").setExact(true)).click();
        assertThat(page.locator("#config-h")).isVisible();
        assertThat(page.locator("main")).containsText("GREETING=hello world");
        shot(page, "04-tag");

        page.getByLabel("Browse the files of layer 2").click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Layer 2 of 2"))).isVisible();
        assertThat(page.locator("section[aria-labelledby=deleted-h]")).containsText("/etc/secret");
        shot(page, "05-layer");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Whole image at this layer")).click();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("etc/")).click();
        Locator secret = page.locator("tr[data-path='etc/secret']");
        assertThat(secret).hasClass("deleted");
        assertThat(secret).containsText("deleted");
        shot(page, "06-layer-merged-etc");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name)).first().click();
        page.getByLabel("From", new Page.GetByLabelOptions().setExact(true)).fill("1.0");
        page.getByLabel("To", new Page.GetByLabelOptions().setExact(true)).fill("2.0");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Compare")).click();
        assertThat(page.locator("tr[data-path='etc/secret']")).containsText("removed");
        assertThat(page.locator("tr[data-path='srv/app.txt']")).containsText("added");
        shot(page, "07-compare");

        page.navigate(base() + "/r/" + name + "/-/tag/1.0");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Delete tag 1.0…")).click();
        shot(page, "08-confirm-delete");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete tag")).click();
        assertThat(page.getByRole(AriaRole.STATUS)).containsText("Deleted 1.0.");
        assertThat(page.locator("#tags")).not().containsText("1.0");
        shot(page, "09-after-delete");

        page.navigate(base() + "/r/" + name + "/-/tag/1.0");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Not found"))).isVisible();
        shot(page, "10-not-found");
    }

    @Test
    void theAuditLogFitsA1280PixelScreenWithItsDigestsShortenedAndCopyable() throws Exception {
        String id = Long.toString(System.nanoTime(), 36);
        String name = "browser/audit-" + id;
        String digest = UiPagesIT.base().push(http, this::uri, name, "1.0").digest();
        HttpResponse<Void> deleted = http.send(HttpRequest.newBuilder(uri("/v2/" + name + "/manifests/" + digest)).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(deleted.statusCode()).isEqualTo(202);
        Page page = context.newPage();
        page.navigate(base() + "/admin/audit");
        Locator push = page.locator("tr", new Page.LocatorOptions().setHasText("manifest.push")).filter(
                new Locator.FilterOptions().setHasText(name + ":1.0"));
        Locator delete = page.locator("tr", new Page.LocatorOptions().setHasText("manifest.delete")).filter(
                new Locator.FilterOptions().setHasText(name + "@"));
        assertThat(push).hasCount(1);
        assertThat(delete).hasCount(1);
        shot(page, "14-audit-log-1280");

        // Every column within the table and the window: nothing pushed off screen, no sideways scrolling.
        Map<?, ?> fit = (Map<?, ?>) page.evaluate("() => { const wrap = document.querySelector('main .table-wrap');"
                + " const right = Math.max(...[...wrap.querySelectorAll('th, td')].map(c => c.getBoundingClientRect().right));"
                + " return { overflow: wrap.scrollWidth - wrap.clientWidth, right: right, width: window.innerWidth,"
                + " page: document.documentElement.scrollWidth - window.innerWidth }; }");
        assertThat(((Number) fit.get("overflow")).doubleValue()).as("the table scrolls sideways: %s", fit).isLessThanOrEqualTo(0);
        assertThat(((Number) fit.get("right")).doubleValue()).as("%s", fit).isLessThanOrEqualTo(((Number) fit.get("width")).doubleValue());
        assertThat(((Number) fit.get("page")).doubleValue()).as("%s", fit).isLessThanOrEqualTo(0);
        // A digest takes a few characters of its row, which stays within two lines.
        for (Locator row : List.of(push, delete)) {
            // The height of each cell's content (not of the cell, which is the row's), in lines of that cell's text.
            double lines = ((Number) row.evaluate("row => Math.max(...[...row.cells].map(c => { const r = document.createRange();"
                    + " r.selectNodeContents(c); return r.getBoundingClientRect().height / parseFloat(getComputedStyle(c).lineHeight); }))"))
                    .doubleValue();
            assertThat(lines).as("lines of the tallest cell of %s", row.innerText()).isLessThanOrEqualTo(2.05);
        }
        // The full digest is in the title, and a button copies it.
        Locator shortened = delete.locator("[title='" + digest + "']");
        assertThat(shortened).hasText(digest.substring(0, "sha256:".length() + 12) + "…");
        delete.getByLabel("Copy " + digest).click();
        assertThat((String) page.evaluate("navigator.clipboard.readText()")).isEqualTo(digest);
        assertThat(push.locator("[title='" + digest + "']")).hasCount(1);
    }

    @Test
    void browsingWorksWithJavaScriptOffAndOnAPhone() throws Exception {
        String id = Long.toString(System.nanoTime(), 36);
        String name = "browser/phone-" + id;
        UiPagesIT.withSecretRemoved().push(http, this::uri, name, "latest");
        context.close();
        context = browser.newContext(new Browser.NewContextOptions().setJavaScriptEnabled(false).setViewportSize(390, 844)
                .setIsMobile(true).setHasTouch(true));
        context.onRequest(r -> requested.add(r.url()));
        policyViolations.add(Chromium.policyViolations(context));
        Page page = context.newPage();

        page.navigate(base() + "/");
        page.getByLabel("Search by name").fill("phone-" + id);
        page.getByLabel("Search by name").press("Enter");
        assertThat(page.locator("#results")).containsText("1 repository");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(name)).click();
        shot(page, "11-phone-repository");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("latest").setExact(true)).click();
        shot(page, "12-phone-tag");
        page.getByLabel("Browse the files of layer 1").click();
        assertThat(page.locator("tr[data-path='etc']")).isVisible();
        shot(page, "13-phone-layer");
        // The page fits the phone: nothing makes the whole page scroll sideways.
        assertThat((Boolean) page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private static void shot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }
}
