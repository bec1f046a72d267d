package dev.berth.client;

import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One registry API call: where it goes, what it accepts, and what it makes of a successful
 * response. {@link RegistryCaller} runs it and owns authentication, redirects and error mapping.
 */
interface RegistryEndpoint<T> {

    /** The path below {@code /v2/}, e.g. {@code team/app/manifests/latest}. */
    String path();

    List<MediaType> accept();

    /** The token scope, e.g. {@code repository:team/app:pull}; null for none. */
    String scope();

    /** What this call does, for error messages: {@code pull manifest localhost:5000/team/app:latest}. */
    String description();

    /** The code a 404 without an error body means. */
    OciErrorCode notFound();

    /** Reads a response {@link #succeeded} accepts; the body is closed by the caller. */
    T handle(HttpResponse<InputStream> response) throws IOException;

    default String method() {
        return "GET";
    }

    /** Where the request goes: {@link #path} below {@code /v2/}, or an upload's {@code Location}. */
    default URI uri(URI base) {
        return base.resolve("/v2/" + path());
    }

    /** The request body; each call starts it anew (a request is sent again after a 401). */
    default HttpRequest.BodyPublisher body() {
        return HttpRequest.BodyPublishers.noBody();
    }

    /** Request headers besides Accept and Authorization. */
    default Map<String, String> headers() {
        return Map.of();
    }

    /** Whether the status is an answer to {@link #handle} (2xx), not a failure. */
    default boolean succeeded(int status) {
        return status / 100 == 2;
    }

    /** How long to wait for the response (from the start of the request, body included). */
    default Duration timeout() {
        return Duration.ofMinutes(10);
    }
}
