package dev.berth.registry.distribution;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * The {@code /v2} API: routes each request to the method of its endpoint ({@link V2Endpoints}),
 * has it authorized for what that method needs, and turns every failure into the OCI errors
 * envelope ({@link V2Bodies#answer}). A plain servlet rather than MVC controllers, because
 * repository names contain slashes and blob bodies must stream untouched in both directions.
 * Request bodies are read asynchronously ({@link V2Bodies}), so no thread waits for a slow client.
 */
class V2Servlet extends HttpServlet {

    private final transient V2Endpoints endpoints;
    private final transient V2Bodies bodies;
    private final transient V2Access access;

    V2Servlet(List<V2Endpoint> endpoints, V2Bodies bodies, V2Access access) {
        this.endpoints = new V2Endpoints(endpoints);
        this.bodies = bodies;
        this.access = access;
    }

    @Override
    protected void service(HttpServletRequest http, HttpServletResponse response) throws IOException {
        response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
        V2Request request = null;
        try {
            V2Route route = V2Route.fromRawPath(http.getRequestURI().substring(http.getContextPath().length()));
            ServerHttpObservationFilter.findObservationContext(http).ifPresent(c -> c.setPathPattern(route.kind().pattern()));
            // A 405 and a refusal come before the endpoint: neither depends on what the repository holds.
            V2Method method = endpoints.find(route, http.getMethod());
            V2Principal principal = access.authorize(http, route, method.need());
            request = new V2Request(http, route, principal);
            bodies.handle(method, request, response);
        } catch (IOException | RuntimeException e) {
            if (http.isAsyncStarted()) {
                // Failed after its body began to arrive: the body's reader answers and ends it.
                throw e;
            }
            boolean partlyAnswered = response.isCommitted();
            bodies.answer(http, request, response, e);
            if (partlyAnswered && !V2Failures.isClientGone(e)) {
                // Part of the answer is out (a blob whose bytes failed mid-way): the one honest end is a
                // broken connection, which Tomcat's error valve makes of a failure it sees after commit.
                throw e;
            }
        }
    }
}
