package dev.berth.registry.ui;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.auth.Namespaces;
import dev.berth.registry.auth.Visibility;
import dev.berth.registry.deletion.RepositoryDeletion;
import dev.berth.registry.ui.Viewers.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The repository page's settings forms, for administrators of its namespace: public or private, and delete. */
@Controller
class RepositorySettingsController {

    private final Viewers viewers;
    private final RepositoryAccess access;
    private final Namespaces namespaces;
    private final AuditLog audit;
    private final RepositoryDeletion deletion;

    RepositorySettingsController(Viewers viewers, RepositoryAccess access, Namespaces namespaces, AuditLog audit,
                                 RepositoryDeletion deletion) {
        this.deletion = deletion;
        this.viewers = viewers;
        this.access = access;
        this.namespaces = namespaces;
        this.audit = audit;
    }

    @PostMapping("/repository-visibility")
    String setVisibility(HttpServletRequest request, RedirectAttributes flash, @RequestParam("repository") String repository,
                         @RequestParam("visibility") String visibility) {
        Viewer viewer = viewers.current(request);
        access.requirePullable(viewer, repository);
        if (!access.mayManage(viewer, repository)) {
            throw new SameOrigin.ForbiddenException("Only administrators of the namespace may change who sees " + repository + ".");
        }
        return Forms.apply(flash, Links.INSTANCE.repository(repository), repository + " is now " + visibility.toLowerCase(Locale.ROOT) + ".", () -> {
            Visibility v = Forms.visibility(visibility);
            namespaces.setVisibility(repository, v);
            audit.record(viewer.caller(), AuditAction.VISIBILITY_SET, "repository " + repository, request.getRemoteAddr(), v.name());
        });
    }

    /** Deletes the whole repository once its name is typed again (as GitHub and Harbor ask). */
    @PostMapping("/repository-delete")
    String delete(HttpServletRequest request, RedirectAttributes flash, @RequestParam("repository") String repository,
                  @RequestParam(name = "confirm", defaultValue = "") String confirm) throws IOException {
        Viewer viewer = viewers.current(request);
        access.requirePullable(viewer, repository);
        if (!access.mayManage(viewer, repository)) {
            throw new SameOrigin.ForbiddenException("Only administrators of the namespace may delete " + repository + ".");
        }
        if (!confirm.strip().equals(repository)) {
            flash.addFlashAttribute("error", "Type the repository's name, " + repository + ", to delete it.");
            return "redirect:" + Links.INSTANCE.repository(repository);
        }
        try {
            RepositoryDeletion.Deleted deleted = deletion.delete(RepositoryName.of(repository), d -> audit.record(viewer.caller(),
                    AuditAction.REPOSITORY_DELETE, "repository " + repository, request.getRemoteAddr(), d.toString()));
            flash.addFlashAttribute("notice", "Deleted " + repository + " (" + deleted + "); its storage returns after GC's review delay.");
            return "redirect:/";
        } catch (OciException e) {
            if (e.code() != OciErrorCode.DENIED && e.code() != OciErrorCode.NAME_UNKNOWN) {
                throw e;
            }
            flash.addFlashAttribute("error", Forms.sentence(e.getMessage()));
            return "redirect:" + (e.code() == OciErrorCode.DENIED ? Links.INSTANCE.repository(repository) : "/");
        }
    }
}
