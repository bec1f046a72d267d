package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps every answer to a {@code /v2} request in the OCI errors envelope, also where the
 * {@code /v2} servlet never gets to write it:
 * <ul>
 * <li>a path that starts with {@code /v2} but that the container normalizes out of it
 * ({@code /v2/a/%2e%2e/%2e%2e/actuator/health}) is refused here, instead of reaching another
 * servlet or Spring's error page;</li>
 * <li>an error the container raises itself while the servlet reads the body (a body shorter than
 * its Content-Length, a malformed chunked encoding, a read timeout) is forwarded to the error page;
 * for a {@code /v2} request this filter answers it instead of Spring's JSON or HTML page.</li>
 * </ul>
 */
class V2ErrorFilter extends OncePerRequestFilter {

    private final OciErrorWriter errors;
    private final V2Failures failures;

    V2ErrorFilter(OciErrorWriter errors, V2Failures failures) {
        this.errors = errors;
        this.failures = failures;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            if (uri instanceof String original && isUnderV2(original, request.getContextPath())) {
                answerError(request, response);
                return;
            }
        } else if (isUnderV2(request.getRequestURI(), request.getContextPath()) && !"/v2".equals(request.getServletPath())) {
            response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
            errors.write(response, null, new OciException(OciErrorCode.NAME_INVALID,
                    "the request path leaves /v2: a repository name has no '.' or '..' components"));
            return;
        }
        chain.doFilter(request, response);
    }

    private void answerError(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer s ? s : 500;
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
        if (exception instanceof IOException unreadable && (status == HttpServletResponse.SC_REQUEST_TIMEOUT
                || status == HttpServletResponse.SC_BAD_REQUEST || V2Failures.causedBy(unreadable, EOFException.class))) {
            // Tomcat's read failed (408 on a timeout, else 400): answered as a body read asynchronously is.
            failures.answerUnreadable(response, unreadable);
        } else {
            // Anything else the container decided (a method it refuses, a failure past the servlet).
            Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
            HttpRefusal refusal = HttpRefusal.of(status, message instanceof String m ? m : null,
                    exception instanceof Throwable t ? t : null, request, -1);
            errors.write(response, refusal.status(), refusal.code().wireCode(), refusal.message()
                    + (refusal.code() == OciErrorCode.UNKNOWN && request.getAttribute("berth.requestId") instanceof String id
                            ? " (request id " + id + ")" : ""), null);
        }
    }

    static boolean isUnderV2(String rawUri, String contextPath) {
        if (rawUri == null || !rawUri.startsWith(contextPath)) {
            return false;
        }
        String path;
        try {
            path = V2Route.decode(rawUri.substring(contextPath.length()));
        } catch (OciException e) {
            path = rawUri.substring(contextPath.length());
        }
        return path.equals("/v2") || path.startsWith("/v2/");
    }
}
