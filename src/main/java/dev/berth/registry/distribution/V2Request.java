package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code /v2} request: the servlet request plus where it is routed. Parameters come from the
 * query string only: {@code getParameter} would read a form-typed body as parameters, and in this
 * API every body is a blob or a manifest. {@code principal} is who sent it, already authorized.
 */
record V2Request(HttpServletRequest http, V2Route route, V2Principal principal, Map<String, List<String>> query) {

    V2Request(HttpServletRequest http, V2Route route, V2Principal principal) {
        this(http, route, principal, parseQuery(http.getQueryString()));
    }

    /** The address the request came from, for the audit log. */
    String clientAddress() {
        return http.getRemoteAddr();
    }

    String method() {
        return http.getMethod();
    }

    RepositoryName name() {
        return route.name();
    }

    String argument() {
        return route.argument();
    }

    String header(String name) {
        return http.getHeader(name);
    }

    /** The first value of a query parameter, or null. */
    String param(String name) {
        List<String> values = query.get(name);
        return values == null ? null : values.get(0);
    }

    List<String> params(String name) {
        return query.getOrDefault(name, List.of());
    }

    /** The request's Content-Length, or -1 when it has none (a chunked body). */
    long contentLength() {
        return http.getContentLengthLong();
    }

    /** True when the request carries a body, announced by length or by chunked transfer coding. */
    boolean hasBody() {
        return hasBody(http);
    }

    static boolean hasBody(HttpServletRequest http) {
        long length = http.getContentLengthLong();
        return length > 0 || (length < 0 && http.getHeader("Transfer-Encoding") != null);
    }

    /** The same request, its body already read into {@code bytes} (a manifest). */
    V2Request withBody(byte[] bytes) {
        return new V2Request(new BufferedBodyRequest(http, bytes), route, principal, query);
    }

    InputStream body() throws IOException {
        return http.getInputStream();
    }

    /** A query parameter that must be a non-negative integer, or null when absent. */
    Integer nonNegativeIntParam(String name) {
        String value = param(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new OciException(OciErrorCode.PAGINATION_NUMBER_INVALID, name + " must be a non-negative integer, got: "
                + (value.length() > 20 ? value.substring(0, 20) : value));
    }

    /**
     * The parameters of a query string, each name with its values in order. Written here rather
     * than taken from Spring: a query is form-encoded, so a {@code +} is a space (as Go's
     * {@code url.ParseQuery} reads it in distribution, and Tomcat's {@code getParameter}), where
     * {@code UriUtils.decode} keeps a plus; and {@code UriComponentsBuilder} reads {@code =x} as a
     * parameter named {@code x}, and {@code n} alone as a null value.
     */
    static Map<String, List<String>> parseQuery(String queryString) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (queryString == null || queryString.isEmpty()) {
            return out;
        }
        for (String pair : queryString.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /** A malformed escape is kept as sent: the parameter's own check then refuses it with its code. */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
