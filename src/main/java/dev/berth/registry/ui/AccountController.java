package dev.berth.registry.ui;

import dev.berth.registry.auth.AccessControlException;
import dev.berth.registry.auth.AccessToken;
import dev.berth.registry.auth.AccessTokens;
import dev.berth.registry.auth.Accounts;
import dev.berth.registry.auth.Action;
import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.ui.Viewers.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** /account: one's own password and personal access tokens. */
@Controller
class AccountController {

    private static final String PAGE = "/account";

    private final Viewers viewers;
    private final Accounts accounts;
    private final AccessTokens tokens;
    private final AuditLog audit;
    private final Clock clock;

    AccountController(Viewers viewers, Accounts accounts, AccessTokens tokens, AuditLog audit, Clock clock) {
        this.viewers = viewers;
        this.accounts = accounts;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping(PAGE)
    String account(HttpServletRequest request, Model model) {
        Viewer viewer = viewers.current(request);
        if (!viewer.signedIn()) {
            return "redirect:/login?next=/account"; // with access control off nobody has to sign in, but tokens need an account
        }
        model.addAttribute("account", accounts.find(viewer.caller().userId()).orElseThrow());
        model.addAttribute("tokens", tokens.list(viewer.caller().userId()));
        model.addAttribute("scopes", Action.values());
        model.addAttribute("now", clock.instant());
        model.addAttribute("minPassword", Accounts.MIN_PASSWORD_LENGTH);
        return "account";
    }

    @PostMapping(PAGE + "/password")
    String changePassword(HttpServletRequest request, RedirectAttributes flash, @RequestParam("current") String current,
                          @RequestParam("password") String password, @RequestParam("confirm") String confirm) {
        Viewer viewer = signedIn(request);
        return Forms.apply(flash, PAGE, "Your password was changed.", () -> {
            if (!accounts.passwordMatches(viewer.caller().userId(), current)) {
                throw new AccessControlException("the current password is not right");
            }
            if (!password.equals(confirm)) {
                throw new AccessControlException("the new password and its confirmation differ");
            }
            accounts.setPassword(viewer.caller().userId(), password);
            audit.record(viewer.caller(), AuditAction.USER_PASSWORD, "user " + viewer.username(), request.getRemoteAddr(), "own password");
            viewers.keepSignedIn(request);
        });
    }

    @PostMapping(PAGE + "/tokens")
    String createToken(HttpServletRequest request, RedirectAttributes flash, Forms.TokenForm form) {
        Viewer viewer = signedIn(request);
        return Forms.apply(flash, PAGE + "#tokens-h", "Token created. Copy it now: it is shown only this once.", () -> {
            AccessTokens.Issued issued = form.create(tokens, viewer.caller().userId(), clock.instant());
            audit.record(viewer.caller(), AuditAction.TOKEN_CREATE, "token " + issued.token().name() + " of " + viewer.username(),
                    request.getRemoteAddr(), "scopes " + Action.formatList(issued.token().scopes())
                            + (issued.token().expiresAt() == null ? "" : ", expires " + issued.token().expiresAt()));
            flash.addFlashAttribute("secret", new Forms.NewSecret(viewer.username(), issued.token().name(), issued.secret()));
        });
    }

    @PostMapping(PAGE + "/tokens/{id}/revoke")
    String revokeToken(HttpServletRequest request, RedirectAttributes flash, @PathVariable("id") long id) {
        Viewer viewer = signedIn(request);
        return Forms.apply(flash, PAGE + "#tokens-h", "Token revoked: it no longer signs in.", () -> {
            String name = tokens.list(viewer.caller().userId()).stream().filter(t -> t.id() == id).map(AccessToken::name)
                    .findFirst().orElseThrow(() -> new AccessControlException("you have no such token"));
            tokens.revoke(viewer.caller().userId(), id);
            audit.record(viewer.caller(), AuditAction.TOKEN_REVOKE, "token " + name + " of " + viewer.username(), request.getRemoteAddr(), null);
        });
    }

    private Viewer signedIn(HttpServletRequest request) {
        Viewer viewer = viewers.current(request);
        if (!viewer.signedIn()) {
            throw new SameOrigin.ForbiddenException("Sign in to manage your account.");
        }
        return viewer;
    }
}
