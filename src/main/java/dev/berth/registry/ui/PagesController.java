package dev.berth.registry.ui;

import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.auth.Namespaces;
import dev.berth.oci.ManifestReference;
import dev.berth.registry.manifest.ManifestService;
import dev.berth.registry.metadata.CatalogRows;
import dev.berth.registry.metadata.StoredManifest;
import dev.berth.registry.proxy.CacheSummaries;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The web UI's pages. Repository names hold {@code /}, so everything under {@code /r/} is routed
 * here and parsed by {@link UiPath}. Every page reads the database; deleting goes through
 * {@link ManifestService#delete}, exactly as the API's DELETE does.
 */
@Controller
class PagesController {

    private final Catalog catalog;
    private final RepositoryQueries repositories;
    private final ImagePages images;
    private final LayerPages layers;
    private final ComparePages compares;
    private final ManifestService manifests;
    private final Viewers viewers;
    private final RepositoryAccess access;
    private final AuditLog audit;
    private final Namespaces namespaces;
    private final CacheSummaries proxies;

    PagesController(Catalog catalog, RepositoryQueries repositories, ImagePages images, LayerPages layers,
                    ComparePages compares, ManifestService manifests, Viewers viewers, RepositoryAccess access,
                    AuditLog audit, Namespaces namespaces, CacheSummaries proxies) {
        this.proxies = proxies;
        this.catalog = catalog;
        this.repositories = repositories;
        this.images = images;
        this.layers = layers;
        this.compares = compares;
        this.manifests = manifests;
        this.viewers = viewers;
        this.access = access;
        this.audit = audit;
        this.namespaces = namespaces;
    }

    @GetMapping("/")
    String home(@RequestParam(name = "q", required = false) String query,
                @RequestParam(name = "sort", required = false) String sort,
                @RequestParam(name = "page", defaultValue = "1") String page, Model model, HttpServletRequest request) {
        CatalogRows.Sort order = CatalogRows.Sort.of(sort);
        Viewers.Viewer viewer = viewers.current(request);
        model.addAttribute("q", query == null ? "" : query.trim());
        model.addAttribute("sort", order.param());
        model.addAttribute("repositories", catalog.page(query, order, pageNumber(page), access.listingFilter(viewer)));
        // Registry-wide totals would count repositories the viewer may not see: only for who sees them all.
        model.addAttribute("totals", access.seesEverything(viewer) ? catalog.totals() : null);
        return "home";
    }

    @GetMapping("/r/**")
    String page(HttpServletRequest request, Model model,
                @RequestParam(name = "q", required = false) String query,
                @RequestParam(name = "sort", required = false) String sort,
                @RequestParam(name = "page", defaultValue = "1") String page,
                @RequestParam(name = "view", required = false) String view,
                @RequestParam(name = "dir", required = false) String dir,
                @RequestParam(name = "a", required = false) String a,
                @RequestParam(name = "b", required = false) String b,
                @RequestParam(name = "platform", required = false) String platform,
                @RequestParam(name = "deleted", required = false) String deleted) {
        UiPath path = UiPath.parse(request.getRequestURI());
        String name = path.repository().value();
        Viewers.Viewer viewer = viewers.current(request);
        access.requirePullable(viewer, name);
        model.addAttribute("mayDelete", access.mayDelete(viewer, name));
        return switch (path.page()) {
            case REPOSITORY -> {
                var summary = repositories.summary(path.repository()).orElseThrow(() -> new NotFoundException("There is no repository " + name + "."));
                boolean byName = "name".equals(sort);
                model.addAttribute("repo", summary);
                model.addAttribute("q", query == null ? "" : query.trim());
                model.addAttribute("sort", byName ? "name" : "pushed");
                model.addAttribute("tags", repositories.tags(summary, query, byName, pageNumber(page)));
                model.addAttribute("tagNames", repositories.tagNames(summary.id(), 1000));
                model.addAttribute("deleted", deleted);
                model.addAttribute("proxy", proxies.of(path.repository()).orElse(null));
                if (!viewer.accessControlOff()) {
                    model.addAttribute("visibility", namespaces.visibility(name).name().toLowerCase(java.util.Locale.ROOT));
                    model.addAttribute("mayManage", access.mayManage(viewer, name));
                }
                yield "repository";
            }
            case IMAGE -> {
                if (path.delete()) {
                    requireDelete(viewer, name);
                    model.addAttribute("image", images.page(path.repository(), path.reference()));
                    model.addAttribute("byTag", path.reference() instanceof ManifestReference.ByTag);
                    yield "confirm-delete";
                }
                model.addAttribute("image", images.page(path.repository(), path.reference()));
                yield "image";
            }
            case LAYER -> {
                var layer = layers.page(path.repository(), ((ManifestReference.ByDigest) path.reference()).digest(), path.layer(), view, dir,
                        pageNumber(page));
                if (layer == null) {
                    throw new NotFoundException("This image has no layer " + path.layer() + ".");
                }
                model.addAttribute("page", layer);
                yield "layer";
            }
            case COMPARE -> {
                var summary = repositories.summary(path.repository()).orElseThrow(() -> new NotFoundException("There is no repository " + name + "."));
                model.addAttribute("repo", summary);
                model.addAttribute("tagNames", repositories.tagNames(summary.id(), 1000));
                model.addAttribute("a", a);
                model.addAttribute("b", b);
                model.addAttribute("compare", a == null || b == null || a.isBlank() || b.isBlank() ? null : compares.page(path.repository(), a, b, platform));
                yield "compare";
            }
        };
    }

    /** The delete action of the confirmation page: POST, then back to the repository (POST/redirect/GET). */
    @PostMapping("/r/**")
    String delete(HttpServletRequest request) {
        UiPath path = UiPath.parse(request.getRequestURI());
        if (!path.delete()) {
            throw new NotFoundException("There is no action at " + request.getRequestURI() + ".");
        }
        SameOrigin.require(request);
        String name = path.repository().value();
        Viewers.Viewer viewer = viewers.current(request);
        access.requirePullable(viewer, name);
        requireDelete(viewer, name);
        String what;
        if (path.reference() instanceof ManifestReference.ByTag t) {
            what = t.tag().value();
        } else {
            StoredManifest m = images.manifest(path.repository(), path.reference());
            what = m.digest().toString();
        }
        boolean byTag = path.reference() instanceof ManifestReference.ByTag;
        manifests.delete(path.repository(), path.reference(), () -> audit.record(viewer.caller(),
                byTag ? AuditAction.TAG_DELETE : AuditAction.MANIFEST_DELETE, AuditLog.target(path.repository(), path.reference()),
                request.getRemoteAddr(), "web UI"));
        return "redirect:" + URI.create(Links.INSTANCE.repository(name) + "?deleted=" + what);
    }

    /** The same rule as the API's DELETE: AccessPolicy must grant DELETE in this repository. */
    private void requireDelete(Viewers.Viewer viewer, String name) {
        if (!access.mayDelete(viewer, name)) {
            throw new SameOrigin.ForbiddenException(viewer.signedIn() ? "Your account may not delete in " + name + "."
                    : "Sign in with an account that may delete in " + name + ".");
        }
    }

    private static int pageNumber(String page) {
        try {
            return Math.max(1, Integer.parseInt(page));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
