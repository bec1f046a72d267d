package dev.berth.registry.ui;

import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.metadata.RetentionRows;
import dev.berth.registry.retention.Retention;
import dev.berth.registry.retention.RetentionPlan;
import dev.berth.registry.ui.Viewers.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * /admin/retention: the retention rules in force (berth.retention's, shown only, and those set
 * here, stored for every server), a dry run listing what the rules would remove now, a run on
 * demand, and the recent runs. Rule changes are audited; each removal is audited as a tag delete.
 */
@Controller
class RetentionController {

    private static final String PATH = "/admin/retention";

    private final Viewers viewers;
    private final Retention retention;
    private final RetentionRows rows;
    private final AuditLog audit;

    RetentionController(Viewers viewers, Retention retention, RetentionRows rows, AuditLog audit) {
        this.viewers = viewers;
        this.retention = retention;
        this.rows = rows;
        this.audit = audit;
    }

    @GetMapping(PATH)
    String page(HttpServletRequest request, Model model) {
        Forms.requireAdmin(viewers.current(request));
        model.addAttribute("rules", retention.rules());
        model.addAttribute("runs", rows.recentRuns(20));
        return "admin-retention";
    }

    /** The dry run: a page of its own, so that reloading it plans again and removes nothing. */
    @PostMapping(PATH + "/dry-run")
    String dryRun(HttpServletRequest request, Model model) {
        Viewer viewer = viewers.postingAdministrator(request);
        RetentionPlan plan = retention.dryRun(viewer.caller().displayName());
        model.addAttribute("plan", plan);
        return page(request, model);
    }

    @PostMapping(PATH + "/run")
    String run(HttpServletRequest request, RedirectAttributes flash) {
        Viewer viewer = viewers.postingAdministrator(request);
        Retention.Outcome outcome = retention.run(viewer.caller().displayName(), request.getRemoteAddr());
        if (!outcome.ran()) {
            flash.addFlashAttribute("error", "Another server is running the retention rules; try again when it is done.");
        } else {
            flash.addFlashAttribute("notice", "Retention removed " + outcome.tagsRemoved() + " tags; GC frees "
                    + outcome.plan().bytesFreed() + " bytes of blobs only they kept.");
        }
        return "redirect:" + PATH;
    }

    @PostMapping(PATH)
    String add(HttpServletRequest request, RedirectAttributes flash, @RequestParam("repositories") String repositories,
               @RequestParam(name = "keepLast", required = false) String keepLast,
               @RequestParam(name = "keepTags", required = false) String keepTags,
               @RequestParam(name = "olderThan", required = false) String olderThan) {
        Viewer viewer = viewers.postingAdministrator(request);
        String rule;
        try {
            Integer last = keepLast == null || keepLast.isBlank() ? null : Integer.valueOf(keepLast.strip());
            rule = retention.add(repositories, last, keepTags, olderThan, viewer.caller().displayName());
        } catch (NumberFormatException e) {
            flash.addFlashAttribute("error", "Keep-last is a number of tags, such as 10.");
            return "redirect:" + PATH;
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", Forms.sentence(e.getMessage()));
            return "redirect:" + PATH;
        }
        audit.record(viewer.caller(), AuditAction.RETENTION_RULE_ADD, "retention", request.getRemoteAddr(), rule);
        flash.addFlashAttribute("notice", "Retention rule added: " + rule + ".");
        return "redirect:" + PATH;
    }

    @PostMapping(PATH + "/{id}/delete")
    String remove(HttpServletRequest request, RedirectAttributes flash, @PathVariable("id") long id) {
        Viewer viewer = viewers.postingAdministrator(request);
        retention.remove(id).ifPresentOrElse(rule -> {
            audit.record(viewer.caller(), AuditAction.RETENTION_RULE_REMOVE, "retention", request.getRemoteAddr(), rule);
            flash.addFlashAttribute("notice", "Removed the rule " + rule + ".");
        }, () -> flash.addFlashAttribute("error", "There is no rule #" + id + "."));
        return "redirect:" + PATH;
    }
}
