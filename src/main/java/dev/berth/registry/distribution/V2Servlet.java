package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.registry.storage.DiskFull;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.EOFException;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * The {@code /v2} API: routes each request to its endpoint and turns every failure into the OCI
 * errors envelope. A plain servlet rather than MVC controllers, because repository names contain
 * slashes and blob bodies must stream untouched in both directions.
 */
class V2Servlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(V2Servlet.class);

    private final Map<V2Route.Kind, V2Endpoint> endpoints = new EnumMap<>(V2Route.Kind.class);
    private final transient OciErrorWriter errors;
    private final transient V2Access access;

    V2Servlet(List<V2Endpoint> endpoints, OciErrorWriter errors, V2Access access) {
        endpoints.forEach(e -> this.endpoints.put(e.kind(), e));
        this.errors = errors;
        this.access = access;
        for (V2Route.Kind kind : V2Route.Kind.values()) {
            if (!this.endpoints.containsKey(kind)) {
                throw new IllegalStateException("no endpoint for " + kind.pattern());
            }
        }
    }

    @Override
    protected void service(HttpServletRequest http, HttpServletResponse response) throws IOException {
        response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
        V2Request request = null;
        try {
            V2Route route = V2Route.fromRawPath(http.getRequestURI().substring(http.getContextPath().length()));
            ServerHttpObservationFilter.findObservationContext(http).ifPresent(c -> c.setPathPattern(route.kind().pattern()));
            // Before the endpoint: a refusal never depends on what the repository holds.
            V2Principal principal = access.authorize(http, route);
            request = new V2Request(http, route, principal);
            endpoints.get(route.kind()).handle(request, response);
        } catch (OciException e) {
            errors.write(response, request, e);
        } catch (EOFException e) {
            // The client announced more than it sent, or hung up mid-body. When the container noticed
            // it first, it has already sent the request to the error page, where V2ErrorFilter answers.
            errors.write(response, OciErrorCode.SIZE_INVALID, "the request body ended before its Content-Length", null);
        } catch (IOException e) {
            if (http.getAttribute(RequestDispatcher.ERROR_EXCEPTION) == e) {
                // A body the container could not read (bad chunking, timeout): the client's fault, and
                // the container forwards it to the error page, where V2ErrorFilter answers.
                log.debug("unreadable request body: {}", e.toString());
                return;
            }
            if (isClientGone(e)) {
                log.debug("client went away: {}", e.toString());
                return;
            }
            log.error("I/O failure on {} {}", http.getMethod(), http.getRequestURI(), e);
            writeFailure(http, response, e, "storage failure");
        } catch (RuntimeException e) {
            log.error("failure on {} {}", http.getMethod(), http.getRequestURI(), e);
            writeFailure(http, response, e, "internal error");
        }
    }

    /** A failure that is not the client's: a full disk and a database that cannot be reached say so. */
    private void writeFailure(HttpServletRequest http, HttpServletResponse response, Exception e, String otherwise) throws IOException {
        String see = ", see the server log (request " + http.getAttribute("berth.requestId") + ")";
        if (DiskFull.isCauseOf(e)) {
            errors.write(response, OciErrorCode.INSUFFICIENT_STORAGE, "the registry's disk is full" + see, null);
        } else if (e instanceof DataAccessResourceFailureException) {
            errors.write(response, OciErrorCode.UNAVAILABLE, "the registry's database is unavailable" + see, null);
        } else {
            errors.write(response, OciErrorCode.UNKNOWN, otherwise + see, null);
        }
    }

    private static boolean isClientGone(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("ClientAbortException")) {
                return true;
            }
        }
        return false;
    }
}
