package dev.berth.registry.ui;

import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.repository.Quotas;
import dev.berth.registry.ui.Viewers.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * /admin/quotas: each namespace's stored bytes against its limit (a bar), the limits of
 * berth.quotas (shown only), and those administrators set or clear here, stored in the database
 * for every server; audited.
 */
@Controller
class QuotasController {

    private static final String PATH = "/admin/quotas";

    private final Viewers viewers;
    private final Quotas quotas;
    private final AuditLog audit;

    QuotasController(Viewers viewers, Quotas quotas, AuditLog audit) {
        this.viewers = viewers;
        this.quotas = quotas;
        this.audit = audit;
    }

    @GetMapping(PATH)
    String page(HttpServletRequest request, Model model) {
        Forms.requireAdmin(viewers.current(request));
        model.addAttribute("uses", quotas.uses());
        return "admin-quotas";
    }

    @PostMapping(PATH)
    String set(HttpServletRequest request, RedirectAttributes flash, @RequestParam("namespace") String namespace,
               @RequestParam("limit") String limit) {
        Viewer viewer = viewers.postingAdministrator(request);
        long bytes;
        try {
            bytes = DataSize.parse(limit.strip().replace(" ", "")).toBytes();
            quotas.set(namespace, bytes, viewer.caller().displayName());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() != null && e.getMessage().startsWith("'")
                    ? "the limit is a size such as 10GB or 500MB, not " + limit : e.getMessage();
            flash.addFlashAttribute("error", Forms.sentence(message));
            return "redirect:" + PATH;
        }
        String what = namespace.strip() + ": " + Quotas.human(bytes) + " (" + bytes + " bytes)";
        audit.record(viewer.caller(), AuditAction.QUOTA_SET, "quotas", request.getRemoteAddr(), what);
        flash.addFlashAttribute("notice", "Quota set: " + what + ".");
        return "redirect:" + PATH;
    }

    @PostMapping(PATH + "/clear")
    String clear(HttpServletRequest request, RedirectAttributes flash, @RequestParam("namespace") String namespace) {
        Viewer viewer = viewers.postingAdministrator(request);
        if (quotas.clear(namespace)) {
            audit.record(viewer.caller(), AuditAction.QUOTA_CLEAR, "quotas", request.getRemoteAddr(), namespace);
            flash.addFlashAttribute("notice", "Removed the quota of " + namespace + ".");
        } else {
            flash.addFlashAttribute("error", "There is no quota of " + namespace + " set on this page.");
        }
        return "redirect:" + PATH;
    }
}
