package dev.berth.registry.ui;

import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.auth.Namespaces;
import dev.berth.registry.auth.Visibility;
import dev.berth.registry.ui.Viewers.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The repository page's settings form: public or private, for administrators of its namespace. */
@Controller
class RepositorySettingsController {

    private final Viewers viewers;
    private final RepositoryAccess access;
    private final Namespaces namespaces;
    private final AuditLog audit;

    RepositorySettingsController(Viewers viewers, RepositoryAccess access, Namespaces namespaces, AuditLog audit) {
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
}
