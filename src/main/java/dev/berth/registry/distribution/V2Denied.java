package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.util.Map;

/** A {@code /v2} request refused by access control, with the headers that tell the client what to do. */
final class V2Denied extends OciException {

    private final transient Map<String, String> headers;

    V2Denied(OciErrorCode code, String message, Object detail, Map<String, String> headers) {
        super(code, message, detail);
        this.headers = Map.copyOf(headers);
    }

    Map<String, String> headers() {
        return headers;
    }
}
