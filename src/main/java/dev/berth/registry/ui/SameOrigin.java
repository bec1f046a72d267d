package dev.berth.registry.ui;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;

/**
 * A form that changes something must come from a page of this registry: browsers send
 * {@code Origin} (and {@code Sec-Fetch-Site}) with every POST, so a form on another site that
 * targets a delete is refused even before there is a login to protect.
 */
final class SameOrigin {

    private SameOrigin() {
    }

    static void require(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw new ForbiddenException("This action can only be sent from Berth's own pages.");
        }
        String origin = request.getHeader("Origin");
        if (origin == null || origin.equals("null")) {
            return; // not a browser, or a browser that sent Sec-Fetch-Site instead
        }
        String host = request.getHeader("Host");
        try {
            URI o = URI.create(origin);
            String originHost = o.getHost() + (o.getPort() < 0 ? "" : ":" + o.getPort());
            if (host == null || !host.equalsIgnoreCase(originHost)) {
                throw new ForbiddenException("This action can only be sent from Berth's own pages.");
            }
        } catch (IllegalArgumentException e) {
            throw new ForbiddenException("This action can only be sent from Berth's own pages.");
        }
    }

    /** Answered with 403 and the error page. */
    static final class ForbiddenException extends RuntimeException {
        ForbiddenException(String message) {
            super(message);
        }
    }
}
