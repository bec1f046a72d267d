package dev.berth.registry.distribution;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * The {@code /v2} API: routes each request to its endpoint and turns every failure into the OCI
 * errors envelope ({@link V2Failures}). A plain servlet rather than MVC controllers, because
 * repository names contain slashes and blob bodies must stream untouched in both directions.
 * Request bodies are read asynchronously ({@link V2Bodies}), so no thread waits for a slow client.
 */
class V2Servlet extends HttpServlet {

    private final Map<V2Route.Kind, V2Endpoint> endpoints = new EnumMap<>(V2Route.Kind.class);
    private final transient V2Failures failures;
    private final transient V2Bodies bodies;
    private final transient V2Access access;

    V2Servlet(List<V2Endpoint> endpoints, V2Failures failures, V2Bodies bodies, V2Access access) {
        endpoints.forEach(e -> this.endpoints.put(e.kind(), e));
        this.failures = failures;
        this.bodies = bodies;
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
            bodies.handle(endpoints.get(route.kind()), request, response);
        } catch (IOException | RuntimeException e) {
            if (http.isAsyncStarted()) {
                // Failed after its body began to arrive: the body's reader answers and ends it.
                throw e;
            }
            bodies.answer(http, request, response, e);
        }
    }
}
