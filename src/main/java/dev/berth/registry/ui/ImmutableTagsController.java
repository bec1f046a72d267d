package dev.berth.registry.ui;

import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.manifest.ImmutableTags;
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
 * /admin/immutable-tags: the immutable-tag rules in force (those of berth.immutable-tags, shown
 * only) and those administrators set here, stored in the database for every server; audited.
 */
@Controller
class ImmutableTagsController {

    private static final String PATH = "/admin/immutable-tags";

    private final Viewers viewers;
    private final ImmutableTags immutableTags;
    private final AuditLog audit;

    ImmutableTagsController(Viewers viewers, ImmutableTags immutableTags, AuditLog audit) {
        this.viewers = viewers;
        this.immutableTags = immutableTags;
        this.audit = audit;
    }

    @GetMapping(PATH)
    String page(HttpServletRequest request, Model model) {
        Forms.requireAdmin(viewers.current(request));
        model.addAttribute("rules", immutableTags.rules());
        return "admin-immutable-tags";
    }

    @PostMapping(PATH)
    String add(HttpServletRequest request, RedirectAttributes flash, @RequestParam("repositories") String repositories,
               @RequestParam("tags") String tags) {
        Viewer viewer = viewers.postingAdministrator(request);
        try {
            immutableTags.add(repositories, tags, viewer.caller().displayName());
        } catch (IllegalArgumentException e) {
            flash.addFlashAttribute("error", Forms.sentence(e.getMessage()));
            return "redirect:" + PATH;
        }
        String rule = "repositories " + repositories.strip() + ", tags " + tags;
        audit.record(viewer.caller(), AuditAction.IMMUTABLE_TAG_RULE_ADD, "immutable tags", request.getRemoteAddr(), rule);
        flash.addFlashAttribute("notice", "Tags now immutable: " + rule + ".");
        return "redirect:" + PATH;
    }

    @PostMapping(PATH + "/{id}/delete")
    String remove(HttpServletRequest request, RedirectAttributes flash, @PathVariable("id") long id) {
        Viewer viewer = viewers.postingAdministrator(request);
        immutableTags.remove(id).ifPresentOrElse(rule -> {
            audit.record(viewer.caller(), AuditAction.IMMUTABLE_TAG_RULE_REMOVE, "immutable tags", request.getRemoteAddr(), rule);
            flash.addFlashAttribute("notice", "Removed the rule " + rule + ".");
        }, () -> flash.addFlashAttribute("error", "There is no rule #" + id + "."));
        return "redirect:" + PATH;
    }
}
