package dev.berth.registry.ui;

import dev.berth.registry.auth.AccessControlException;
import dev.berth.registry.auth.AccessTokens;
import dev.berth.registry.auth.Action;
import dev.berth.registry.auth.Visibility;
import dev.berth.registry.ui.Viewers.Viewer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * What the management pages share: each change is a POST that redirects back to its page
 * (POST/redirect/GET) with a notice or the reason it was refused.
 */
final class Forms {

    private Forms() {
    }

    /** A change that may be refused with an {@link AccessControlException}, whose message is shown. */
    interface Change {
        void run();
    }

    static String apply(RedirectAttributes flash, String back, String done, Change change) {
        try {
            change.run();
            flash.addFlashAttribute("notice", done);
        } catch (AccessControlException e) {
            flash.addFlashAttribute("error", sentence(e.getMessage()));
        }
        return "redirect:" + back;
    }

    static String sentence(String message) {
        if (message == null || message.isEmpty()) {
            return "That did not work.";
        }
        String s = message.substring(0, 1).toUpperCase(Locale.ROOT) + message.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }

    static Visibility visibility(String visibility) {
        try {
            return Visibility.valueOf(visibility.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new AccessControlException("visibility is public or private");
        }
    }

    /** 403 with the error page, unless the viewer administers the registry (or access control is off). */
    static void requireAdmin(Viewer viewer) {
        if (!viewer.admin()) {
            throw new SameOrigin.ForbiddenException("Only administrators may open this page.");
        }
    }

    /** A new token's secret, shown on the next page only (a flash attribute) and never again. */
    record NewSecret(String username, String tokenName, String secret) {
    }

    /** The token form: a name, scope checkboxes, and an expiry in days (empty: never). */
    record TokenForm(String name, List<String> scope, String expires) {

        Set<Action> scopes() {
            return Action.parseList(scope == null ? "" : String.join(",", scope));
        }

        Instant expiresAt(Instant now) {
            if (expires == null || expires.isBlank()) {
                return null;
            }
            try {
                int days = Integer.parseInt(expires.trim());
                if (days < 1 || days > 3650) {
                    throw new AccessControlException("a token's expiry must be 1 to 3650 days away");
                }
                return now.plus(Duration.ofDays(days));
            } catch (NumberFormatException e) {
                throw new AccessControlException("a token's expiry is a number of days");
            }
        }

        AccessTokens.Issued create(AccessTokens tokens, long userId, Instant now) {
            return tokens.create(userId, name, scopes(), expiresAt(now));
        }
    }
}
