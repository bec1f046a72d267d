package dev.berth.registry.proxy;

import dev.berth.client.RegistryRefusal;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs calls to an upstream within its connection bound, and turns what the upstream answered into
 * what this registry answers its client: the upstream's code where it means the same here
 * (MANIFEST_UNKNOWN, BLOB_UNKNOWN, TOOMANYREQUESTS with its Retry-After), UNAVAILABLE otherwise
 * (an upstream that refuses Berth's own credentials is not the client's 401).
 */
final class UpstreamCalls {

    private UpstreamCalls() {
    }

    static <T> T call(Upstreams.ConnectedUpstream upstream, Supplier<T> call) {
        boolean permitted;
        try {
            permitted = upstream.connections().tryAcquire(upstream.settings().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OciException(OciErrorCode.UNAVAILABLE, "interrupted while waiting for a connection to " + upstream.name());
        }
        if (!permitted) {
            throw new OciException(OciErrorCode.UNAVAILABLE, "all " + upstream.settings().maxConnections()
                    + " connections to upstream " + upstream.name() + " are busy");
        }
        try {
            return call.get();
        } finally {
            upstream.connections().release();
        }
    }

    /** The error for the client when the upstream failed and nothing is cached; sets Retry-After when the upstream sent one. */
    static OciException forClient(Upstreams.ConnectedUpstream upstream, OciException failure, HttpServletResponse response) {
        if (failure instanceof RegistryRefusal refusal && response != null) {
            refusal.retryAfter().ifPresent(value -> response.setHeader("Retry-After", value));
        }
        OciErrorCode code = switch (failure.code()) {
            case MANIFEST_UNKNOWN, BLOB_UNKNOWN, NAME_UNKNOWN, TOOMANYREQUESTS -> failure.code();
            default -> OciErrorCode.UNAVAILABLE;
        };
        return new OciException(code, "upstream " + upstream.name() + ": " + failure.getMessage());
    }
}
