package dev.berth.registry.ui;

import dev.berth.oci.OciException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every page of the UI gets (links, formatting, the host for pull commands), and how a page
 * fails: a friendly 404 for anything missing, a plain 500 page with the request id otherwise.
 * Never a stack trace: that goes to the log.
 */
@ControllerAdvice(basePackageClasses = UiAdvice.class)
class UiAdvice {

    private static final Logger log = LoggerFactory.getLogger(UiAdvice.class);

    private final Format fmt;
    private final Viewers viewers;

    UiAdvice(Format fmt, Viewers viewers) {
        this.fmt = fmt;
        this.viewers = viewers;
    }

    @ModelAttribute
    void common(HttpServletRequest request, Model model) {
        model.addAttribute("links", Links.INSTANCE);
        model.addAttribute("fmt", fmt);
        model.addAttribute("registryHost", registryHost(request));
        model.addAttribute("plainHttp", !request.isSecure());
        model.addAttribute("viewer", viewers.current(request));
        // Where "Sign in" comes back to.
        model.addAttribute("here", request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
    }

    @ExceptionHandler(NotFoundException.class)
    String notFound(NotFoundException e, HttpServletResponse response, Model model) {
        return notFoundPage(e.getMessage(), response, model);
    }

    @ExceptionHandler(SameOrigin.ForbiddenException.class)
    String forbidden(SameOrigin.ForbiddenException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        response.setStatus(403);
        return errorPage(request, model, 403, e.getMessage());
    }

    /** The domain's "unknown" and "invalid" answers are, to a person browsing, pages that are not there. */
    @ExceptionHandler(OciException.class)
    String oci(OciException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        if (e.code().httpStatus() == 404 || e.code().httpStatus() == 400) {
            return notFoundPage(e.getMessage(), response, model);
        }
        return unexpected(e, request, response, model);
    }

    @ExceptionHandler(Exception.class)
    String unexpected(Exception e, HttpServletRequest request, HttpServletResponse response, Model model) {
        log.error("page {} failed", request.getRequestURI(), e);
        response.setStatus(500);
        return errorPage(request, model, 500, "Something went wrong while building this page.");
    }

    private String notFoundPage(String message, HttpServletResponse response, Model model) {
        response.setStatus(404);
        model.addAttribute("links", Links.INSTANCE);
        model.addAttribute("message", message);
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
