package dev.berth.registry.distribution;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Which method of which endpoint answers a request: the endpoint of its route kind, the method from its table. */
final class V2Endpoints {

    private final Map<V2Route.Kind, V2Methods> tables = new EnumMap<>(V2Route.Kind.class);

    V2Endpoints(List<V2Endpoint> endpoints) {
        for (V2Endpoint endpoint : endpoints) {
            if (tables.put(endpoint.kind(), endpoint.methods()) != null) {
                throw new IllegalStateException("two endpoints for " + endpoint.kind().pattern());
            }
        }
        for (V2Route.Kind kind : V2Route.Kind.values()) {
            if (!tables.containsKey(kind)) {
                throw new IllegalStateException("no endpoint for " + kind.pattern());
            }
        }
    }

    /**
     * The method that answers {@code method} on {@code route}.
     *
     * @throws V2Methods.MethodNotAllowed 405, with the endpoint's {@code Allow}
     */
    V2Method find(V2Route route, String method) {
        return tables.get(route.kind()).find(method, route.kind());
    }

    /** The methods of a route kind. */
    V2Methods of(V2Route.Kind kind) {
        return tables.get(kind);
    }
}
