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
import java.util.List;

/** One {@code /v2} request: the servlet request plus where it is routed. */
record V2Request(HttpServletRequest http, V2Route route) {

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
        List<String> values = params(name);
        return values.isEmpty() ? null : values.get(0);
    }

    /**
     * Every value of a query parameter. Read from the query string alone: the servlet's
     * getParameter would consume a body sent as a form (curl's --data-binary does that), and
     * a blob's bytes must reach the blob store untouched.
     */
    List<String> params(String name) {
        String query = http.getQueryString();
        if (query == null || query.isEmpty()) {
            return List.of();
        }
        List<String> values = new ArrayList<>(1);
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                values.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** The request's Content-Length, or -1 when it has none (a chunked body). */
    long contentLength() {
        return http.getContentLengthLong();
    }

    /** True when the request carries a body, announced by length or by chunked transfer coding. */
    boolean hasBody() {
        long length = contentLength();
        return length > 0 || (length < 0 && http.getHeader("Transfer-Encoding") != null);
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

    OciException methodNotAllowed() {
        return new OciException(OciErrorCode.UNSUPPORTED, method() + " is not supported on " + route.kind().pattern());
    }
}
