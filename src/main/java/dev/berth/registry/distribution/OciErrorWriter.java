package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.registry.upload.RangeNotSatisfiableException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The {@code /v2} surface's one error translator: every failure becomes the OCI errors envelope. */
@Component
class OciErrorWriter {

    private final JsonMapper json;

    OciErrorWriter(JsonMapper json) {
        this.json = json;
    }

    void write(HttpServletResponse response, V2Request request, OciException e) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        if (e instanceof RangeNotSatisfiableException range && request != null && request.name() != null) {
            Responses.uploadHeaders(response, request.name(), request.argument(), range.currentSize());
        }
        if (e instanceof V2Denied denied) {
            denied.headers().forEach(response::setHeader);
        }
        if (e instanceof V2Methods.MethodNotAllowed notAllowed) {
            response.setHeader("Allow", notAllowed.allow());
        }
        write(response, e.code(), e.getMessage(), e.detail());
    }

    void write(HttpServletResponse response, OciErrorCode code, String message, Object detail) throws IOException {
        write(response, code.httpStatus(), code.wireCode(), message, detail);
    }

    /** An error whose status was chosen elsewhere (by the container), with the code that fits it. */
    void write(HttpServletResponse response, int status, String wireCode, String message, Object detail) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        byte[] body = json.writeValueAsBytes(envelope(wireCode, message, detail));
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The errors envelope of the distribution spec, with one error. */
    static Map<String, Object> envelope(String wireCode, String message, Object detail) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", wireCode);
        error.put("message", message);
        if (detail != null) {
            error.put("detail", detail);
        }
        return Map.of("errors", List.of(error));
    }
}
