package dev.berth.registry.ui;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;

/**
 * Where a browser may be sent after signing in: only a path of this site. A {@code next} of
 * {@code https://evil.example}, {@code //evil.example} or {@code /\evil.example} is ignored, and so
 * is the host of a saved request (built from the Host header, which a client chooses).
 */
final class SafeRedirects {

    private SafeRedirects() {
    }

    /** {@code candidate} when it is a same-site path (with its query), else null. */
    static String sameSitePath(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > 2000 || !candidate.startsWith("/")
                || candidate.startsWith("//")) {
            return null;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            if (c <= 0x20 || c == '\\' || c == 0x7f) {
                return null; // browsers read "/\evil" as "//evil"; controls and spaces have no business here
            }
        }
        try {
            URI uri = new URI(candidate);
            if (uri.getScheme() != null || uri.getRawAuthority() != null) {
                return null;
            }
        } catch (URISyntaxException e) {
            return null;
        }
        if (candidate.startsWith("/login") || candidate.startsWith("/logout")) {
            return "/";
        }
        return candidate;
    }

    /** After sign-in: back to the page that asked for it, else to {@code next}, else home. */
    static final class AfterSignIn implements AuthenticationSuccessHandler {

        private final HttpSessionRequestCache cache = new HttpSessionRequestCache();

        @Override
        public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                            Authentication authentication) throws IOException {
            String target = null;
            SavedRequest saved = cache.getRequest(request, response);
            if (saved != null) {
                cache.removeRequest(request, response);
                target = pathOf(saved.getRedirectUrl());
            }
            if (target == null) {
                target = sameSitePath(request.getParameter("next"));
            }
            response.sendRedirect(target == null ? "/" : target);
        }

        private static String pathOf(String url) {
            try {
                URI uri = new URI(url);
                String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
                return sameSitePath(path);
            } catch (URISyntaxException e) {
                return null;
            }
        }
    }
}
