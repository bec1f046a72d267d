package dev.berth.registry.ui;

import dev.berth.registry.auth.AccessPolicy;
import dev.berth.registry.auth.Accounts;
import dev.berth.registry.auth.AuthMode;
import dev.berth.registry.auth.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who is looking at a page. The session holds only the account's id and its password's
 * fingerprint: the account is read again on every request, so disabling, deleting or demoting
 * someone, or setting another password, takes effect at their next click.
 */
@Component
class Viewers {

    /**
     * The person behind a request, for pages and templates ({@code ${viewer}}).
     *
     * @param accessControlOff {@code berth.auth.mode=none}: everyone acts as an administrator
     */
    record Viewer(Caller caller, boolean accessControlOff) {

        public boolean signedIn() {
            return !caller.anonymous();
        }

        public String username() {
            return caller.username();
        }

        /** May manage users, every organization and every repository. */
        public boolean admin() {
            return accessControlOff || caller.admin();
        }
    }

    private static final String ATTRIBUTE = Viewers.class.getName();

    private final Accounts accounts;
    private final AccessPolicy policy;

    Viewers(Accounts accounts, AccessPolicy policy) {
        this.accounts = accounts;
        this.policy = policy;
    }

    Viewer current(HttpServletRequest request) {
        Object known = request.getAttribute(ATTRIBUTE);
        if (known instanceof Viewer v) {
            return v;
        }
        Viewer v = new Viewer(signedIn().map(s -> accounts.currentSession(s.userId(), s.passwordFingerprint())
                .orElse(Caller.ANONYMOUS)).orElse(Caller.ANONYMOUS), policy.mode() == AuthMode.NONE);
        request.setAttribute(ATTRIBUTE, v);
        return v;
    }

    /**
     * The administrator posting a change to a registry-wide rule page: the form must come from
     * this origin, and the viewer must administer the registry (403 with the error page otherwise).
     */
    Viewer postingAdministrator(HttpServletRequest request) {
        SameOrigin.require(request);
        Viewer viewer = current(request);
        Forms.requireAdmin(viewer);
        return viewer;
    }

    private static Optional<SignIn.SignedIn> signedIn() {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        return a != null && a.getPrincipal() instanceof SignIn.SignedIn s ? Optional.of(s) : Optional.empty();
    }

    /**
     * After viewers changed their own password: this session goes on with the new password's
     * fingerprint, while the account's other sessions end at their next request.
     */
    void keepSignedIn(HttpServletRequest request) {
        SecurityContext context = SecurityContextHolder.getContext();
        Authentication a = context.getAuthentication();
        if (a != null && a.getPrincipal() instanceof SignIn.SignedIn s) {
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                    new SignIn.SignedIn(s.userId(), s.username(), accounts.passwordFingerprint(s.userId())), null, a.getAuthorities()));
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
            }
        }
        request.removeAttribute(ATTRIBUTE);
    }

    /**
     * Ends the session of an account that was disabled, deleted or given another password since it
     * signed in (not a bean: UI paths only).
     */
    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                if (signedIn().isPresent() && !current(request).signedIn()) {
                    SecurityContextHolder.clearContext();
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        session.invalidate();
                    }
                }
                chain.doFilter(request, response);
            }
        };
    }
}
