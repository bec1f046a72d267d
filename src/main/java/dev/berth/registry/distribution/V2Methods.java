package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The methods of one {@code /v2} endpoint, as distribution's {@code handlers.MethodHandler} maps
 * them: routing, the {@code Allow} header of a 405, and the access each request needs all come
 * from this one table, so adding a method to an endpoint is one line.
 */
final class V2Methods {

    private final Map<String, V2Method> byName = new LinkedHashMap<>();
    private final String allow;

    private V2Methods(List<V2Method> methods) {
        for (V2Method method : methods) {
            if (byName.put(method.name(), method) != null) {
                throw new IllegalArgumentException("method " + method.name() + " declared twice");
            }
        }
        this.allow = String.join(", ", byName.keySet());
    }

    /** The table, in the order the {@code Allow} header lists the methods. */
    static V2Methods of(V2Method... methods) {
        return new V2Methods(List.of(methods));
    }

    /**
     * The method a request asks for (method names are case-sensitive, RFC 9110 §9.1).
     *
     * @throws MethodNotAllowed when the endpoint has no such method
     */
    V2Method find(String name, V2Route.Kind kind) {
        V2Method method = byName.get(name);
        if (method == null) {
            // Tomcat lets only a token through as a method; a long one is not echoed.
            throw new MethodNotAllowed((name.length() <= 20 ? name : "this method") + " is not supported on " + kind.pattern(), allow);
        }
        return method;
    }

    /** The {@code Allow} header: every method, in declaration order. */
    String allow() {
        return allow;
    }

    /** A 405, with the {@code Allow} header that lists what the endpoint answers. */
    static final class MethodNotAllowed extends OciException {

        private final String allow;

        MethodNotAllowed(String message, String allow) {
            super(OciErrorCode.UNSUPPORTED, message);
            this.allow = allow;
        }

        String allow() {
            return allow;
        }
    }
}
