package dev.berth.registry.ui;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.registry.auth.AuthMode;
import dev.berth.registry.auth.AuthProperties;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page of the UI gets (links, formatting, the host for pull commands), and how a page
 * fails: a friendly 404 for anything missing, a plain 500 page with the request id otherwise.
 * Never a stack trace: that goes to the log. Boot's error controller (addresses no controller
 * maps) gets the same model, so its pages have the same header: who is signed in, or "Sign in".
 */
@ControllerAdvice(basePackageClasses = UiAdvice.class, assignableTypes = BasicErrorController.class)
class UiAdvice {

    private static final Logger log = LoggerFactory.getLogger(UiAdvice.class);

    private final Format fmt;
    private final Viewers viewers;
    private final AuthProperties auth;

    UiAdvice(Format fmt, Viewers viewers, AuthProperties auth) {
        this.fmt = fmt;
        this.viewers = viewers;
        this.auth = auth;
    }

    @ModelAttribute
    void common(HttpServletRequest request, Model model) {
        model.addAttribute("links", Links.INSTANCE);
        model.addAttribute("fmt", fmt);
        model.addAttribute("registryHost", registryHost(request));
        model.addAttribute("plainHttp", !request.isSecure());
        model.addAttribute("viewer", viewers.current(request));
        // Where "Sign in" comes back to: on an error page, the address that failed.
        Object failed = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        model.addAttribute("here", failed instanceof String uri ? uri
                : request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
    }

    @ExceptionHandler(NotFoundException.class)
    String notFound(NotFoundException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        return notFoundPage(e.getMessage(), request, response, model);
    }

    @ExceptionHandler(SameOrigin.ForbiddenException.class)
    String forbidden(SameOrigin.ForbiddenException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setStatus(403);
        common(request, model);
        return errorPage(request, model, 403, e.getMessage());
    }

    /** The domain's "unknown" and "invalid" answers are, to a person browsing, pages that are not there. */
    @ExceptionHandler(OciException.class)
    String oci(OciException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (e.code().httpStatus() == 404 || e.code().httpStatus() == 400) {
            return notFoundPage(e.getMessage(), request, response, model);
        }
        if (e.code() == OciErrorCode.DENIED) { // a rule refused it (an immutable tag): say which
            response.setStatus(403);
            common(request, model);
            return errorPage(request, model, 403, e.getMessage());
        }
        return unexpected(e, request, response, model);
    }

    @ExceptionHandler(Exception.class)
    String unexpected(Exception e, HttpServletRequest request, HttpServletResponse response, Model model) {
        log.error("page {} failed", request.getRequestURI(), e);
        response.setStatus(500);
        try {
            common(request, model);
        } catch (RuntimeException again) {
            model.addAttribute("links", Links.INSTANCE); // the header without the viewer, if that is what failed
        }
        return errorPage(request, model, 500, "Something went wrong while building this page.");
    }

    /** An exception handler's model is a new one: the header needs what {@link #common} gives every page. */
    private String notFoundPage(String message, HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setStatus(404);
        common(request, model);
        model.addAttribute("message", message);
        // With berth.auth.mode=token a private repository is answered like a missing one: say so, and how to sign in.
        model.addAttribute("maybePrivate", auth.mode() == AuthMode.TOKEN && !viewers.current(request).signedIn());
        return "not-found";
    }

    private static String errorPage(HttpServletRequest request, Model model, int status, String message) {
        model.addAttribute("status", status);
        model.addAttribute("message", message);
        model.addAttribute("requestId", request.getAttribute("berth.requestId"));
        return "error";
    }

    /** What a client would pull from: the Host the browser used, which is where this registry answers. */
    static String registryHost(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) {
            return request.getServerName() + ":" + request.getServerPort();
        }
        return host;
    }
}
