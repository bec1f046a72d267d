package dev.berth.registry.ops;

import dev.berth.registry.auth.Accounts;
import dev.berth.registry.auth.AuthMode;
import dev.berth.registry.auth.AuthProperties;
import dev.berth.registry.auth.BasicCredentials;
import dev.berth.registry.auth.Caller;
import dev.berth.registry.auth.LoginThrottle;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may read {@code /actuator} on the server's own port. Anyone gets the health status (and the
 * liveness and readiness probes), which is all Boot shows a caller without a principal
 * ({@code show-details: when-authorized}); the details (data paths, disk totals) and every other
 * endpoint (metrics) need management access: an administrator's Basic credentials (password or
 * access token), the configured scrape token as a Bearer token, or access control off. Such a
 * caller's request carries a {@link ManagementPrincipal}. Registered for the base path and what
 * lies under it, as the server normalizes paths. The management port
 * ({@code management.server.port}) is not filtered here: it trusts whoever reaches it.
 */
final class ActuatorAccessFilter extends OncePerRequestFilter {

    private static final String CHALLENGE = "Basic realm=\"berth\"";

    /** Health and its groups or components: {@code /actuator/health}, {@code /actuator/health/liveness}. */
    private final Pattern healthPath;
    private final AuthProperties auth;
    private final MetricsProperties metrics;
    private final Accounts accounts;
    private final LoginThrottle throttle;

    ActuatorAccessFilter(String basePath, AuthProperties auth, MetricsProperties metrics, Accounts accounts, LoginThrottle throttle) {
        // Matched against the URI as sent, not as normalized: "..", ";" or "%" never pass for health.
        this.healthPath = Pattern.compile(Pattern.quote(basePath + "/health") + "(/[A-Za-z0-9_-]+)*/?");
        this.auth = auth;
        this.metrics = metrics;
        this.accounts = accounts;
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (auth.mode() == AuthMode.NONE) {
            // Everyone acts as an administrator: hiding the details would protect nothing.
            chain.doFilter(ManagementPrincipal.wrap(request, "access control off"), response);
            return;
        }
        boolean health = healthPath.matcher(pathOf(request)).matches();
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            if (health) {
                chain.doFilter(request, response); // the status only
            } else {
                refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "UNAUTHORIZED", "authentication required");
            }
            return;
        }
        Optional<String> scraper = bearer(authorization).filter(this::isScrapeToken).map(t -> "scrape token");
        if (scraper.isPresent()) {
            chain.doFilter(ManagementPrincipal.wrap(request, scraper.get()), response);
            return;
        }
        BasicCredentials basic = BasicCredentials.parse(authorization);
        if (basic == null) {
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "UNAUTHORIZED", "Basic credentials of an administrator, or the scrape token");
            return;
        }
        String address = request.getRemoteAddr();
        Optional<Caller> caller;
        try {
            throttle.beforeAttempt(address);
            caller = accounts.authenticate(basic.username(), basic.secret());
        } catch (LoginThrottle.TooManyFailures e) {
            response.setHeader("Retry-After", Long.toString(e.retryAfter().toSeconds()));
            refuse(response, 429, "TOOMANYREQUESTS", e.getMessage());
            return;
        }
        if (caller.isEmpty()) {
            throttle.failed(address);
            refuse(response, HttpServletResponse.SC_UNAUTHORIZED, "UNAUTHORIZED", "incorrect username or password");
            return;
        }
        throttle.succeeded(address);
        if (caller.get().admin()) {
            chain.doFilter(ManagementPrincipal.wrap(request, caller.get().username()), response);
        } else if (health) {
            chain.doFilter(request, response);
        } else {
            refuse(response, HttpServletResponse.SC_FORBIDDEN, "DENIED", "only administrators may read this");
        }
    }

    private boolean isScrapeToken(String token) {
        String configured = metrics.scrapeToken();
        return configured != null && !configured.isEmpty()
                && MessageDigest.isEqual(configured.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String> bearer(String authorization) {
        return authorization.length() > 7 && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")
                ? Optional.of(authorization.substring(7).trim()) : Optional.empty();
    }

    private static String pathOf(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context.isEmpty() || !uri.startsWith(context) ? uri : uri.substring(context.length());
    }

    private static void refuse(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setStatus(status);
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", CHALLENGE);
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}");
    }
}
