package dev.berth.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.registry.ui.ImagePages.Child;
import dev.berth.registry.ui.ImagePages.ImagePage;
import dev.berth.registry.ui.ImagePages.Layer;
import dev.berth.registry.ui.ImagePages.Step;
import dev.berth.registry.ui.layer.FileTree;
import dev.berth.registry.ui.layer.LayerEntry;
import dev.berth.registry.ui.layer.LayerEntry.EntryKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** The templates rendered by the same engine the server uses, from hand-made page models. */
class TemplateRenderingTest {

    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static final SpringTemplateEngine ENGINE = engine();

    @Test
    void homeShowsRowsTotalsAndAPagerThatKeepsTheSearch() {
        Context ctx = context();
        ctx.setVariable("q", "team");
        ctx.setVariable("sort", "size");
        ctx.setVariable("totals", new dev.berth.registry.metadata.CatalogRows.Totals(120, 340, 5_300_000_000L, 1_200_000L));
        ctx.setVariable("repositories", new Catalog.RepositoryPage(List.of(
                new Catalog.RepositoryRow("team/api", 3, NOW.minusSeconds(7200), 45_600_000)), 120, 2, 3));

        String html = ENGINE.process("home", ctx);

        assertThat(html).contains("<title>Repositories · Berth</title>", "120 repositories matching “team”", "5.30 GB", "1.20 MB",
                "href=\"/r/team/api\"", "2 hours ago", "45.6 MB", "Page 2 of 3",
                "href=\"/?q=team&amp;sort=size\"", "href=\"/?q=team&amp;sort=size&amp;page=3\"", "<option value=\"size\" selected=\"selected\">");
    }

    @Test
    void whatAPersonTypedIsEscaped() {
        Context ctx = context();
        ctx.setVariable("q", "<script>alert(1)</script>");
        ctx.setVariable("sort", "name");
        ctx.setVariable("totals", new dev.berth.registry.metadata.CatalogRows.Totals(0, 0, 0, 0));
        ctx.setVariable("repositories", new Catalog.RepositoryPage(List.of(), 0, 1, 1));

        String html = ENGINE.process("home", ctx);

        assertThat(html).doesNotContain("<script>alert").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void anIndexListsItsPlatformsLinkingToEachChild() {
        Context ctx = context();
        String child = "sha256:" + "cd".repeat(32);
        ctx.setVariable("image", new ImagePage("team/api", "multi", DIGEST, "application/vnd.oci.image.index.v1+json", 400, NOW,
                List.of("multi"), true, List.of(new Child("linux/amd64", child, "application/vnd.oci.image.manifest.v1+json", 900, true),
                        new Child("linux/arm64", "sha256:" + "ef".repeat(32), "application/vnd.oci.image.manifest.v1+json", 900, false)),
                null, null, List.of(), List.of(), 0, List.of(), "{ }", null, null, null));

        String html = ENGINE.process("image", ctx);

        assertThat(html).contains("linux/amd64", "href=\"/r/team/api/-/manifest/" + child + "\"", "(not in this repository)",
                "docker pull registry.test:5000/team/api:multi").doesNotContain("Configuration", "Layers (");
    }

    @Test
    void aLayerListingMarksChangesAndShowsLinksModesAndOwners() {
        FileTree tree = new FileTree();
        tree.apply(List.of(new LayerEntry("bin/busybox", EntryKind.FILE, 1_000_000, 04755, 0, 0, null, "00"),
                new LayerEntry("etc/shadow", EntryKind.FILE, 10, 0640, 0, 42, null, "11")));
        Map<String, FileTree.Change> changes = tree.apply(List.of(new LayerEntry("bin/ls", EntryKind.HARDLINK, 0, 0755, 0, 0, "bin/busybox", null),
                new LayerEntry("bin/sh", EntryKind.SYMLINK, 0, 0777, 0, 0, "busybox", null),
                new LayerEntry("bin/gone", EntryKind.WHITEOUT, 0, 0, 0, 0, null, null)));
        Format fmt = new Format(Clock.fixed(NOW, ZoneOffset.UTC));
        List<FileRow> rows = new ArrayList<>();
        for (FileTree.Node n : FileTree.children(tree.entries(), "bin", changes)) {
            rows.add(FileRow.of(n, tree, fmt, "/dir"));
        }
        Layer layer = new Layer(1, DIGEST, "application/vnd.oci.image.layer.v1.tar+zstd", 2048);
        ImagePage image = new ImagePage("team/api", "1.0", DIGEST, "application/vnd.oci.image.manifest.v1+json", 400, NOW, List.of("1.0"),
                false, List.of(), null, null, List.of(), List.of(layer, layer), 0, List.of(), "{}", null, null, null);
        Context ctx = context();
        ctx.setVariable("page", new LayerPages.LayerPage(image, layer, new Step("RUN ln busybox ls", NOW, false, layer), "image", "bin",
                List.of(new LayerPages.Crumb("root", "/root"), new LayerPages.Crumb("bin", "/bin")), rows, 2, 0, 1, List.of("bin/gone"), 2, 1_000_010, null, 2, 1, 1));

        String html = ENGINE.process("layer", ctx);

        assertThat(html).contains("Layer 2 of 2", "RUN ln busybox ls", "-rwsr-xr-x", "1.00 MB", "⇒ /bin/busybox", "→ busybox",
                "<tr class=\"deleted\" data-path=\"bin/gone\">", "<span class=\"badge added\">added</span>", "aria-current=\"location\"",
                "href=\"/r/team/api/-/manifest/" + DIGEST + "/layer/0?view=image&amp;dir=bin\"");
    }

    @Test
    void theNotFoundPageSaysWhatIsMissing() {
        Context ctx = context();
        ctx.setVariable("message", "There is no repository <b>x</b>.");

        assertThat(ENGINE.process("not-found", ctx)).contains("<h1>Not found</h1>", "There is no repository &lt;b&gt;x&lt;/b&gt;.");
    }

    @Test
    void aNewTokenIsShownWithItsDockerLoginAndTheHeaderNamesTheViewer() {
        Context ctx = context();
        ctx.setVariable("viewer", new Viewers.Viewer(new dev.berth.registry.auth.Caller(7L, "alice", false,
                java.util.EnumSet.allOf(dev.berth.registry.auth.Action.class)), false));
        ctx.setVariable("account", new dev.berth.registry.auth.Account(7, "alice", false, false, null, NOW));
        ctx.setVariable("tokens", List.of(new dev.berth.registry.auth.AccessToken(3, 7, "laptop",
                java.util.EnumSet.of(dev.berth.registry.auth.Action.PULL), NOW, null, null)));
        ctx.setVariable("scopes", dev.berth.registry.auth.Action.values());
        ctx.setVariable("now", NOW);
        ctx.setVariable("minPassword", 8);
        ctx.setVariable("secret", new Forms.NewSecret("alice", "laptop", "berth_pat_abc"));

        String html = ENGINE.process("account", ctx);

        assertThat(html).contains("aria-label=\"Your account: alice\"", ">Sign out<", "id=\"new-secret\">berth_pat_abc<",
                "docker login -u alice --password-stdin registry.test:5000", "action=\"/account/tokens/3/revoke\"",
                "aria-label=\"Revoke token laptop\"").doesNotContain("Access control is off", "csrf-token");
    }

    @Test
    void withAccessControlOffEveryPageSaysSo() {
        Context ctx = context();
        ctx.setVariable("viewer", new Viewers.Viewer(dev.berth.registry.auth.Caller.ANONYMOUS, true));
        ctx.setVariable("message", "There is no repository x.");

        assertThat(ENGINE.process("not-found", ctx)).contains("Access control is off", "href=\"/admin/users\"", ">Sign in<");
    }

    private static Context context() {
        Context ctx = new Context();
        ctx.setVariable("links", Links.INSTANCE);
        ctx.setVariable("fmt", new Format(Clock.fixed(NOW, ZoneOffset.UTC)));
        ctx.setVariable("registryHost", "registry.test:5000");
        return ctx;
    }

    private static SpringTemplateEngine engine() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        return engine;
    }
}
