package dev.berth.registry.distribution;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.res.StringManager;

/**
 * Tomcat's last word on a request that no servlet answered: one it rejected before routing (an
 * encoded slash or NUL in the path, a path climbing above the root, a malformed request line, a
 * header too large). Tomcat's own valve renders an HTML page; a registry client expects the OCI
 * errors envelope, so this one writes that, and never a stack trace nor the server's version.
 */
public class OciErrorReportValve extends ErrorReportValve {

    private static final String INVALID_URI =
            StringManager.getManager("org.apache.catalina.connector").getString("coyoteAdapter.invalidURI");

    public OciErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String[] codeAndMessage = codeAndMessage(status, response.getMessage());
        String body = "{\"errors\":[{\"code\":\"" + codeAndMessage[0] + "\",\"message\":\"" + codeAndMessage[1] + "\"}]}";
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Docker-Distribution-API-Version", "registry/2.0");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response cannot take a body any more: nothing else to do.
        }
    }

    /** The code and a fixed message (nothing from the request is echoed) for a status Tomcat chose. */
    static String[] codeAndMessage(int status, String tomcatMessage) {
        if (status == 400 && tomcatMessage != null && tomcatMessage.startsWith(INVALID_URI)) {
            return new String[] {"NAME_INVALID",
                "invalid request path: it may not contain encoded '/', '\\\\' or NUL, nor climb above the root"};
        }
        return switch (status) {
            case 400 -> new String[] {"UNSUPPORTED", "malformed HTTP request"};
            case 401 -> new String[] {"UNAUTHORIZED", "authentication required"};
            case 403 -> new String[] {"DENIED", "requested access to the resource is denied"};
            case 404 -> new String[] {"UNSUPPORTED", "no such endpoint"};
            case 405 -> new String[] {"UNSUPPORTED", "method not allowed"};
            case 408 -> new String[] {"BLOB_UPLOAD_INVALID", "the client stopped sending the request"};
            case 413 -> new String[] {"SIZE_INVALID", "request too large"};
            case 429 -> new String[] {"TOOMANYREQUESTS", "too many requests"};
            case 503 -> new String[] {"UNAVAILABLE", "service unavailable"};
            default -> status >= 500 ? new String[] {"UNKNOWN", "internal error, see the server log"}
                    : new String[] {"UNSUPPORTED", "the request cannot be served (HTTP " + status + ")"};
        };
    }
}
