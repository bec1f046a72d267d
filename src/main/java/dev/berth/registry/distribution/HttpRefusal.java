package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.tomcat.util.res.StringManager;

/**
 * What the container refused, said in the OCI envelope: where a status that Tomcat (or a
 * servlet's {@code sendError}) chose gets its message, and its code from
 * {@link OciErrorCode#forStatus} (a refused path is {@code NAME_INVALID}). Tomcat keeps its
 * reason in a debug log line only; what it leaves (the status, the exception of a request line or
 * header it could not parse, the message of a {@code sendError}, the headers it did parse) tells
 * the reason well enough to name it. A value from the request is quoted only when it is a short
 * token, so nothing the client sent is echoed at length.
 *
 * @param status  the status to answer (a header too large is 431, where Tomcat says 400)
 * @param code    its code; {@link OciErrorCode#wireCode()} is what goes on the wire
 * @param message what was refused and why, in one line
 */
record HttpRefusal(int status, OciErrorCode code, String message) {

    private static final StringManager CONNECTOR = StringManager.getManager("org.apache.catalina.connector");
    private static final StringManager HTTP11 = StringManager.getManager("org.apache.coyote.http11");
    private static final StringManager PARSER = StringManager.getManager("org.apache.tomcat.util.http.parser");
    private static final String INVALID_URI = CONNECTOR.getString("coyoteAdapter.invalidURI");
    private static final String CONNECT = CONNECTOR.getString("coyoteAdapter.connect");
    private static final String TRACE = CONNECTOR.getString("coyoteAdapter.trace");
    private static final String INVALID_METHOD = prefix(HTTP11, "iib.invalidmethod");
    private static final String INVALID_TARGET = prefix(HTTP11, "iib.invalidRequestTarget");
    private static final String INVALID_PROTOCOL = prefix(HTTP11, "iib.invalidHttpProtocol");
    private static final String HEADER_TOO_LARGE = HTTP11.getString("iib.requestheadertoolarge.error");
    private static final String INVALID_HEADER = prefix(PARSER, "httpHeaderParser.invalidHeader");
    private static final String LF_WITHOUT_CR = PARSER.getString("httpHeaderParser.invalidCrlfNoCR");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}");
    private static final Pattern VERSION = Pattern.compile("HTTP/[0-9](\\.[0-9])?");

    static final int REQUEST_HEADER_FIELDS_TOO_LARGE = 431;

    /**
     * @param status        the status the container set
     * @param tomcatMessage the message given to {@code sendError}, or null
     * @param cause         the exception the container recorded, or null
     * @param request       the request as far as the container parsed it
     * @param headerLimit   the connector's limit on the request line and headers, in bytes, or -1
     */
    static HttpRefusal of(int status, String tomcatMessage, Throwable cause, HttpServletRequest request, int headerLimit) {
        String reason = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        String message = tomcatMessage == null ? "" : tomcatMessage;
        if (status == 400 && message.startsWith(INVALID_URI)) {
            // A path Tomcat will not map is a name outside the grammar, as V2Route says of '..'.
            return new HttpRefusal(400, OciErrorCode.NAME_INVALID,
                    "invalid request path: it may not contain encoded '/', '\\' or NUL, nor climb above the root");
        }
        if (status == 400 && reason.equals(HEADER_TOO_LARGE)) {
            status = REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        return refusal(status, switch (status) {
            case 400 -> badRequest(reason, request);
            case 401 -> "authentication required";
            case 403 -> "requested access to the resource is denied";
            case 404 -> "no such endpoint";
            case 405 -> message.equals(TRACE) ? "the TRACE method is not allowed" : "method not allowed";
            case 408 -> "the client stopped sending the request";
            case 411 -> "the request needs a Content-Length";
            case 413 -> "the request is larger than the server accepts";
            case 414 -> "the request target is too long";
            case 417 -> "the only expectation supported is Expect: 100-continue";
            case 429 -> "too many requests";
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> "the request line and headers are larger than "
                    + (headerLimit > 0 ? "the server's limit of " + headerLimit + " bytes" : "the server accepts");
            case 501 -> notImplemented(message, request);
            case 503 -> "service unavailable";
            case 507 -> "the registry's storage is full";
            case 505 -> "HTTP version "
                    + (request.getProtocol() != null && VERSION.matcher(request.getProtocol()).matches() ? request.getProtocol() + " " : "")
                    + "is not supported: use HTTP/1.1";
            default -> status >= 500 ? "internal error, see the server log" : "the request cannot be served (HTTP " + status + ")";
        });
    }

    /** The refusal of a status, with the code {@link OciErrorCode#forStatus} gives it. */
    private static HttpRefusal refusal(int status, String message) {
        return new HttpRefusal(status, OciErrorCode.forStatus(status), message);
    }

    private static String badRequest(String reason, HttpServletRequest request) {
        if (reason.startsWith(INVALID_METHOD)) {
            return "malformed request line: the method is not an HTTP token";
        } else if (reason.startsWith(INVALID_TARGET)) {
            return "malformed request line: the request target holds a character that must be percent-encoded";
        } else if (reason.startsWith(INVALID_PROTOCOL)) {
            return "malformed request line: what follows the target is not an HTTP version (a space in the target must be %20)";
        } else if (reason.startsWith(INVALID_HEADER)) {
            return "malformed header line: not a token, a colon and a value";
        } else if (reason.equals(LF_WITHOUT_CR)) {
            return "malformed request: a line ends in LF without CR";
        }
        return fromHeaders(request);
    }

    /** A 400 without an exception comes from Tomcat's header checks; the parsed headers say which one. */
    private static String fromHeaders(HttpServletRequest request) {
        List<String> hosts = values(request, "Host");
        if (hosts.size() > 1) {
            return "the request has more than one Host header";
        }
        if (hosts.isEmpty() && "HTTP/1.1".equals(request.getProtocol())) {
            return "an HTTP/1.1 request needs a Host header";
        }
        List<String> lengths = values(request, "Content-Length");
        if (lengths.size() > 1) {
            return "the request has more than one Content-Length header";
        }
        if (lengths.size() == 1 && !lengths.get(0).strip().matches("[0-9]{1,18}")) {
            return "the Content-Length header is not a number";
        }
        List<String> codings = codings(request);
        if (codings.stream().anyMatch(c -> !TOKEN.matcher(c).matches())) {
            return "the Transfer-Encoding header is malformed";
        }
        if (codings.contains("chunked") && !codings.get(codings.size() - 1).equals("chunked")) {
            return "the Transfer-Encoding header names a coding after chunked, which must come last";
        }
        return "malformed HTTP request";
    }

    private static String notImplemented(String message, HttpServletRequest request) {
        if (message.equals(CONNECT)) {
            return "the CONNECT method is not supported";
        }
        for (String coding : codings(request)) {
            if (!coding.equals("chunked")) {
                return "transfer encoding " + quoted(coding) + "is not supported: send the body as is or chunked";
            }
        }
        return "the request uses a feature the server does not implement";
    }

    /** A token from the request followed by a space, or nothing when it is no short token. */
    private static String quoted(String value) {
        return value != null && TOKEN.matcher(value).matches() ? value + " " : "";
    }

    /** The codings of the Transfer-Encoding headers, in order, lower case. */
    private static List<String> codings(HttpServletRequest request) {
        List<String> codings = new ArrayList<>();
        for (String header : values(request, "Transfer-Encoding")) {
            for (String coding : header.split(",", -1)) {
                codings.add(coding.strip().toLowerCase(Locale.ROOT));
            }
        }
        return codings;
    }

    private static List<String> values(HttpServletRequest request, String name) {
        var values = request.getHeaders(name);
        return values == null ? List.of() : Collections.list(values);
    }

    /** The text of a Tomcat message up to its first argument, to recognize it whatever the argument. */
    private static String prefix(StringManager messages, String key) {
        String template = messages.getString(key);
        int argument = template.indexOf("[{0}]");
        return argument < 0 ? template : template.substring(0, argument);
    }
}
