package dev.berth.registry.distribution;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** One resource of the distribution API. */
interface V2Endpoint {

    /** The route kind this endpoint answers. */
    V2Route.Kind kind();

    void handle(V2Request request, HttpServletResponse response) throws IOException;

    /** Whether the endpoint reads this request's body itself, as it arrives ({@link V2Bodies#stream}). */
    default boolean streamsBody(V2Request request) {
        return false;
    }
}
