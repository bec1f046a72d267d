package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's last word on a request that no servlet answered: one it rejected before routing (an
 * encoded slash or NUL in the path, a path climbing above the root, a malformed request line, a
 * header too large, a transfer coding or HTTP version it does not speak). Tomcat's own valve
 * renders an HTML page; a registry client expects the OCI errors envelope, so this one writes
 * that, saying what was refused ({@link HttpRefusal}), and never a stack trace nor the server's version.
 */
public class OciErrorReportValve extends ErrorReportValve {

    private static final Logger log = LoggerFactory.getLogger(OciErrorReportValve.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REQUEST_ID_ATTRIBUTE = "berth.requestId";

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
        HttpRefusal refusal = HttpRefusal.of(status, response.getMessage(), throwable, request, headerLimit(request));
        String message = refusal.message();
        if (refusal.code() == OciErrorCode.UNKNOWN) {
            // A real failure: give it an id the log line shares (the access filter's, if it ran).
            String id = request.getAttribute(REQUEST_ID_ATTRIBUTE) instanceof String s ? s
                    : Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
            response.setHeader("X-Request-Id", id);
            message += " (request id " + id + ")";
            log.error("HTTP {} before or outside the servlets (request id {})", status, id, throwable);
        }
        String body = JSON.writeValueAsString(OciErrorWriter.envelope(refusal.code().wireCode(), message, null));
        try {
            response.setStatus(refusal.status());
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

    /** The connector's limit on the request line and headers, for the message that says it was passed. */
    private static int headerLimit(Request request) {
        try {
            return request.getConnector().getProperty("maxHttpRequestHeaderSize") instanceof Integer limit ? limit : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
