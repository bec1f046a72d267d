package dev.berth.registry.distribution;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Function;

/**
 * One method of a {@code /v2} endpoint, declared once: what its caller needs, how its request
 * body is read, and the code that answers it. An endpoint's methods make its {@link V2Methods}.
 *
 * @param name    the HTTP method, as the request line spells it
 * @param need    what the caller must be allowed
 * @param body    how a body sent with the request is read, decided per request
 * @param handler writes the answer
 */
record V2Method(String name, V2Need need, Function<V2Request, Body> body, Handler handler) {

    /** How a method takes its request's body. */
    enum Body {
        /** It takes none: a body sent anyway is read and dropped before the handler runs. */
        NONE,
        /** The handler reads it as it arrives ({@link V2Bodies#stream}). */
        STREAMED,
        /** A manifest: gathered in memory before the handler runs, within {@code berth.manifests.max-size}. */
        MANIFEST
    }

    interface Handler {
        void handle(V2Request request, HttpServletResponse response) throws IOException;
    }

    /** A method that takes no body. */
    static V2Method of(String name, V2Need need, Handler handler) {
        return new V2Method(name, need, request -> Body.NONE, handler);
    }

    /** A method whose handler streams the body. */
    static V2Method streaming(String name, V2Need need, Handler handler) {
        return new V2Method(name, need, request -> Body.STREAMED, handler);
    }

    /** A method that takes a manifest. */
    static V2Method manifest(String name, V2Need need, Handler handler) {
        return new V2Method(name, need, request -> Body.MANIFEST, handler);
    }
}
