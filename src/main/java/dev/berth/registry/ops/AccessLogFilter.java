package dev.berth.registry.ops;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One line per request on the {@code berth.access} logger, in a form an operator can grep:
 * {@code 127.0.0.1 "PUT /v2/team/app/manifests/1.0" 201 0ms=12 id=5f3a… ua="docker/20.10"}.
 * Every request gets an id (the client's {@code X-Request-Id}, or a new one), echoed in the
 * response and put in the log context, so error messages can point at their log lines.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AccessLogFilter extends OncePerRequestFilter {

    static final String REQUEST_ID_ATTRIBUTE = "berth.requestId";
    private static final Logger access = LoggerFactory.getLogger("berth.access");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = requestId(request.getHeader("X-Request-Id"));
        request.setAttribute(REQUEST_ID_ATTRIBUTE, id);
        response.setHeader("X-Request-Id", id);
        MDC.put("requestId", id);
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            if (request.isAsyncStarted()) {
                // The body is still arriving (read with non-blocking I/O): the line is written when the exchange ends.
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        MDC.put("requestId", id);
                        log(request, response, id, start);
                        MDC.remove("requestId");
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                        // onComplete follows
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                        // onComplete follows
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                        // not restarted
                    }
                });
            } else {
                log(request, response, id, start);
            }
            MDC.remove("requestId");
        }
    }

    private static void log(HttpServletRequest request, HttpServletResponse response, String id, long start) {
        if (access.isInfoEnabled()) {
            long millis = (System.nanoTime() - start) / 1_000_000;
            String query = request.getQueryString();
            access.info("{} \"{} {}{}\" {} {}ms id={} ua=\"{}\"", request.getRemoteAddr(), request.getMethod(),
                    request.getRequestURI(), query == null ? "" : "?" + query, response.getStatus(), millis, id,
                    printable(request.getHeader("User-Agent")));
        }
    }

    private static String requestId(String offered) {
        if (offered != null && offered.matches("[A-Za-z0-9._-]{1,64}")) {
            return offered;
        }
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** Header values go into the log quoted, so quotes and control characters must not break the line. */
    private static String printable(String value) {
        if (value == null) {
            return "-";
        }
        String cut = value.length() > 200 ? value.substring(0, 200) : value;
        return cut.replaceAll("[\\p{Cntrl}\"\\\\]", "_");
    }
}
