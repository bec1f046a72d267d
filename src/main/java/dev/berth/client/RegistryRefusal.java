package dev.berth.client;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.util.Optional;

/**
 * A registry's answer that is an error: its OCI code and message, and what a caller that passes
 * the answer on needs besides (the HTTP status, and {@code Retry-After} as sent, with a 429 or 503).
 */
public final class RegistryRefusal extends OciException {

    private final int status;
    private final transient Optional<String> retryAfter;

    RegistryRefusal(OciErrorCode code, String message, int status, Optional<String> retryAfter) {
        super(code, message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public Optional<String> retryAfter() {
        return retryAfter;
    }
}
