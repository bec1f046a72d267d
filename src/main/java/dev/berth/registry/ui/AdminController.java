package dev.berth.registry.ui;

import dev.berth.registry.auth.AccessControlException;
import dev.berth.registry.auth.Account;
import dev.berth.registry.auth.Accounts;
import dev.berth.registry.auth.AuditEvent;
import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.ui.Viewers.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** /admin: the registry's accounts and its audit log, for administrators. */
@Controller
class AdminController {

    static final int AUDIT_PAGE = 50;
    private static final String USERS = "/admin/users";

    private final Viewers viewers;
    private final Accounts accounts;
    private final AuditLog audit;

    AdminController(Viewers viewers, Accounts accounts, AuditLog audit) {
        this.viewers = viewers;
        this.accounts = accounts;
        this.audit = audit;
    }

    @GetMapping(USERS)
    String users(HttpServletRequest request, Model model) {
        Forms.requireAdmin(viewers.current(request));
        model.addAttribute("accounts", accounts.list());
        model.addAttribute("minPassword", Accounts.MIN_PASSWORD_LENGTH);
        return "admin-users";
    }

    @PostMapping(USERS)
    String create(HttpServletRequest request, RedirectAttributes flash, @RequestParam("username") String username,
                  @RequestParam("password") String password, @RequestParam(name = "admin", required = false) String admin) {
        Viewer viewer = admin(request);
        boolean isAdmin = admin != null;
        return Forms.apply(flash, USERS, "Created " + username + ".", () -> {
            accounts.createUser(username, password, isAdmin);
            audit.record(viewer.caller(), AuditAction.USER_CREATE, "user " + username, request.getRemoteAddr(), isAdmin ? "administrator" : null);
        });
    }

    @PostMapping(USERS + "/{id}/password")
    String resetPassword(HttpServletRequest request, RedirectAttributes flash, @PathVariable("id") long id,
                         @RequestParam("password") String password) {
        Viewer viewer = admin(request);
        Account account = account(id);
        return Forms.apply(flash, USERS, "Set a new password for " + account.username() + ".", () -> {
            accounts.setPassword(id, password);
            audit.record(viewer.caller(), AuditAction.USER_PASSWORD, "user " + account.username(), request.getRemoteAddr(), "reset by an administrator");
            if (viewer.signedIn() && viewer.caller().userId() == id) {
                viewers.keepSignedIn(request); // their own: this session stays
            }
        });
    }

    /** disable, enable, grant-admin, revoke-admin or delete. */
    @PostMapping(USERS + "/{id}/{change}")
    String change(HttpServletRequest request, RedirectAttributes flash, @PathVariable("id") long id,
                  @PathVariable("change") String change) {
        Viewer viewer = admin(request);
        Account account = account(id);
        String target = "user " + account.username();
        return Forms.apply(flash, USERS, "Done: " + change.replace('-', ' ') + " " + account.username() + ".", () -> {
            if (!change.equals("enable") && !change.equals("grant-admin") && viewer.signedIn() && viewer.caller().userId() == id) {
                // Nobody locks themselves out; another administrator can do it.
                throw new AccessControlException("you cannot " + change.replace('-', ' ') + " your own account");
            }
            AuditAction action = switch (change) {
                case "disable" -> AuditAction.USER_DISABLE;
                case "enable" -> AuditAction.USER_ENABLE;
                case "grant-admin" -> AuditAction.USER_GRANT_ADMIN;
                case "revoke-admin" -> AuditAction.USER_REVOKE_ADMIN;
                case "delete" -> AuditAction.USER_DELETE;
                default -> throw new NotFoundException("There is no action " + change + ".");
            };
            switch (action) {
                case USER_DISABLE -> accounts.setDisabled(id, true);
                case USER_ENABLE -> accounts.setDisabled(id, false);
                case USER_GRANT_ADMIN -> accounts.setAdmin(id, true);
                case USER_REVOKE_ADMIN -> accounts.setAdmin(id, false);
                default -> accounts.delete(id);
            }
            audit.record(viewer.caller(), action, target, request.getRemoteAddr(), null);
        });
    }

    @GetMapping("/admin/audit")
    String audit(HttpServletRequest request, Model model, @RequestParam(name = "before", required = false) Long before) {
        Forms.requireAdmin(viewers.current(request));
        List<AuditEvent> events = audit.recent(before, AUDIT_PAGE);
        model.addAttribute("events", events);
        model.addAttribute("older", events.size() == AUDIT_PAGE ? events.get(events.size() - 1).id() : null);
        model.addAttribute("paged", before != null);
        return "admin-audit";
    }

    private Viewer admin(HttpServletRequest request) {
        Viewer viewer = viewers.current(request);
        Forms.requireAdmin(viewer);
        return viewer;
    }

    private Account account(long id) {
        return accounts.find(id).orElseThrow(() -> new NotFoundException("There is no account " + id + "."));
    }
}
