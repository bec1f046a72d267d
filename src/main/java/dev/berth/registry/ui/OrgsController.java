package dev.berth.registry.ui;

import dev.berth.registry.auth.AccessControlException;
import dev.berth.registry.auth.AccessToken;
import dev.berth.registry.auth.AccessTokens;
import dev.berth.registry.auth.Account;
import dev.berth.registry.auth.Accounts;
import dev.berth.registry.auth.Action;
import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.auth.Member;
import dev.berth.registry.auth.Namespace;
import dev.berth.registry.auth.Namespaces;
import dev.berth.registry.auth.Role;
import dev.berth.registry.auth.Visibility;
import dev.berth.registry.ui.Viewers.Viewer;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriUtils;

/**
 * /orgs: organizations. Any signed-in person creates one and administers it; its administrators
 * (and the registry's) manage members, robot accounts with their tokens, and the default visibility.
 * Members see the page; to anyone else an organization is not there.
 */
@Controller
class OrgsController {

    private final Viewers viewers;
    private final Namespaces namespaces;
    private final Accounts accounts;
    private final AccessTokens tokens;
    private final AuditLog audit;
    private final Clock clock;

    OrgsController(Viewers viewers, Namespaces namespaces, Accounts accounts, AccessTokens tokens, AuditLog audit, Clock clock) {
        this.viewers = viewers;
        this.namespaces = namespaces;
        this.accounts = accounts;
        this.tokens = tokens;
        this.audit = audit;
        this.clock = clock;
    }

    /** A robot with its role and tokens, for the page. */
    record Robot(Account account, Role role, List<AccessToken> tokens) {
    }

    @GetMapping("/orgs")
    String list(HttpServletRequest request, Model model) {
        Viewer viewer = viewers.current(request);
        model.addAttribute("orgs", viewer.admin() ? namespaces.organizations(null)
                : viewer.signedIn() ? namespaces.organizations(viewer.caller().userId()) : List.of());
        return "orgs";
    }

    @PostMapping("/orgs")
    String create(HttpServletRequest request, RedirectAttributes flash, @RequestParam("name") String name) {
        Viewer viewer = viewers.current(request);
        if (!viewer.signedIn()) {
            throw new SameOrigin.ForbiddenException("Sign in to create an organization: you become its administrator.");
        }
        try {
            namespaces.createOrganization(name, viewer.caller().userId());
        } catch (AccessControlException e) {
            flash.addFlashAttribute("error", Forms.sentence(e.getMessage()));
            return "redirect:/orgs";
        }
        audit.record(viewer.caller(), AuditAction.ORG_CREATE, "organization " + name, request.getRemoteAddr(), null);
        flash.addFlashAttribute("notice", "Created the organization " + name + ". You are its administrator.");
        return "redirect:" + page(name);
    }

    @GetMapping("/orgs/{name}")
    String org(HttpServletRequest request, Model model, @PathVariable("name") String name) {
        Viewer viewer = viewers.current(request);
        Namespace org = visible(viewer, name);
        List<Member> members = namespaces.members(name);
        Map<Long, Role> roles = new LinkedHashMap<>();
        members.forEach(m -> roles.put(m.userId(), m.role()));
        model.addAttribute("org", org);
        model.addAttribute("people", members.stream().filter(m -> !m.robot()).toList());
        model.addAttribute("robots", accounts.robots(name).stream()
                .map(a -> new Robot(a, roles.get(a.id()), tokens.list(a.id()))).toList());
        model.addAttribute("mayManage", mayManage(viewer, name));
        model.addAttribute("roles", Role.values());
        model.addAttribute("scopes", Action.values());
        model.addAttribute("now", clock.instant());
        return "org";
    }

    @PostMapping("/orgs/{name}/members")
    String setMember(HttpServletRequest request, RedirectAttributes flash, @PathVariable("name") String name,
                     @RequestParam("username") String username, @RequestParam("role") String role) {
        Viewer viewer = manager(request, name);
        return Forms.apply(flash, page(name), username + " is now " + role.toLowerCase(Locale.ROOT) + " in " + name + ".", () -> {
            Account account = accounts.find(username.trim()).filter(a -> !a.robot())
                    .orElseThrow(() -> new AccessControlException("there is no user " + username.trim()));
            namespaces.setMember(name, account.id(), role(role));
            audit.record(viewer.caller(), AuditAction.MEMBER_SET, name + "/" + account.username(), request.getRemoteAddr(), "role " + role(role));
        });
    }

    @PostMapping("/orgs/{name}/members/{userId}/remove")
    String removeMember(HttpServletRequest request, RedirectAttributes flash, @PathVariable("name") String name,
                        @PathVariable("userId") long userId) {
        Viewer viewer = manager(request, name);
        String username = accounts.find(userId).map(Account::username).orElse("#" + userId);
        return Forms.apply(flash, page(name), "Removed " + username + " from " + name + ".", () -> {
            namespaces.removeMember(name, userId);
            audit.record(viewer.caller(), AuditAction.MEMBER_REMOVE, name + "/" + username, request.getRemoteAddr(), null);
        });
    }

    @PostMapping("/orgs/{name}/visibility")
    String defaultVisibility(HttpServletRequest request, RedirectAttributes flash, @PathVariable("name") String name,
                             @RequestParam("visibility") String visibility) {
        Viewer viewer = manager(request, name);
        return Forms.apply(flash, page(name), "Repositories in " + name + " are now " + visibility.toLowerCase(Locale.ROOT)
                + " unless they say otherwise.", () -> {
            Visibility v = Forms.visibility(visibility);
            namespaces.setDefaultVisibility(name, v);
            audit.record(viewer.caller(), AuditAction.VISIBILITY_SET, "namespace " + name, request.getRemoteAddr(), "default " + v);
        });
    }

    @PostMapping("/orgs/{name}/robots")
    String createRobot(HttpServletRequest request, RedirectAttributes flash, @PathVariable("name") String name,
                       @RequestParam("robot") String robot, @RequestParam("role") String role) {
        Viewer viewer = manager(request, name);
        return Forms.apply(flash, page(name), "Created the robot " + name + "+" + robot + ". Give it a token to sign in with.", () -> {
            Account account = accounts.createRobot(name, robot.trim(), role(role));
            audit.record(viewer.caller(), AuditAction.ROBOT_CREATE, "user " + account.username(), request.getRemoteAddr(), "role " + role(role));
        });
    }

    @PostMapping("/orgs/{name}/robots/{id}/delete")
    String deleteRobot(HttpServletRequest request, RedirectAttributes flash, @PathVariable("name") String name,
                       @PathVariable("id") long id) {
        Viewer viewer = manager(request, name);
        Account robot = robot(name, id);
        return Forms.apply(flash, page(name), "Deleted the robot " + robot.username() + " and its tokens.", () -> {
            accounts.delete(id);
            audit.record(viewer.caller(), AuditAction.ROBOT_DELETE, "user " + robot.username(), request.getRemoteAddr(), null);
        });
    }

    @PostMapping("/orgs/{name}/robots/{id}/tokens")
    String createRobotToken(HttpServletRequest request, RedirectAttributes flash, @PathVariable("name") String name,
                            @PathVariable("id") long id, Forms.TokenForm form) {
        Viewer viewer = manager(request, name);
        Account robot = robot(name, id);
        return Forms.apply(flash, page(name), "Token created. Copy it now: it is shown only this once.", () -> {
            AccessTokens.Issued issued = form.create(tokens, id, clock.instant());
            audit.record(viewer.caller(), AuditAction.TOKEN_CREATE, "token " + issued.token().name() + " of " + robot.username(),
                    request.getRemoteAddr(), "scopes " + Action.formatList(issued.token().scopes()));
            flash.addFlashAttribute("secret", new Forms.NewSecret(robot.username(), issued.token().name(), issued.secret()));
        });
    }

    @PostMapping("/orgs/{name}/robots/{id}/tokens/{tokenId}/revoke")
    String revokeRobotToken(HttpServletRequest request, RedirectAttributes flash, @PathVariable("name") String name,
                            @PathVariable("id") long id, @PathVariable("tokenId") long tokenId) {
        Viewer viewer = manager(request, name);
        Account robot = robot(name, id);
        return Forms.apply(flash, page(name), "Token revoked.", () -> {
            String tokenName = tokens.list(id).stream().filter(t -> t.id() == tokenId).map(AccessToken::name).findFirst()
                    .orElseThrow(() -> new AccessControlException("the robot has no such token"));
            tokens.revoke(id, tokenId);
            audit.record(viewer.caller(), AuditAction.TOKEN_REVOKE, "token " + tokenName + " of " + robot.username(), request.getRemoteAddr(), null);
        });
    }

    /** The organization, if the viewer may see it; otherwise the same 404 as for no organization at all. */
    private Namespace visible(Viewer viewer, String name) {
        Optional<Namespace> org = namespaces.find(name).filter(n -> n.kind() == Namespace.Kind.ORGANIZATION);
        boolean member = viewer.signedIn() && namespaces.roleOf(viewer.caller().userId(), name).isPresent();
        if (org.isEmpty() || !(viewer.admin() || member)) {
            throw new NotFoundException("There is no organization " + name + ".");
        }
        return org.get();
    }

    private boolean mayManage(Viewer viewer, String name) {
        return viewer.admin() || (viewer.signedIn() && namespaces.roleOf(viewer.caller().userId(), name)
                .filter(r -> r == Role.ADMIN).isPresent());
    }

    private Viewer manager(HttpServletRequest request, String name) {
        Viewer viewer = viewers.current(request);
        visible(viewer, name);
        if (!mayManage(viewer, name)) {
            throw new SameOrigin.ForbiddenException("Only administrators of " + name + " may change it.");
        }
        return viewer;
    }

    private Account robot(String org, long id) {
        return accounts.find(id).filter(a -> org.equals(a.robotOf()))
                .orElseThrow(() -> new NotFoundException("There is no robot " + id + " in " + org + "."));
    }

    private static Role role(String role) {
        try {
            return Role.valueOf(role.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AccessControlException("a role is read, write or admin");
        }
    }

    private static String page(String name) {
        return "/orgs/" + UriUtils.encodePathSegment(name, StandardCharsets.UTF_8);
    }
}
