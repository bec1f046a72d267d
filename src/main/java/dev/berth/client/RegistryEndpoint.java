package dev.berth.client;

import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;

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

    /** Reads a 2xx response; the body is closed by the caller. */
    T handle(HttpResponse<InputStream> response) throws IOException;
}
