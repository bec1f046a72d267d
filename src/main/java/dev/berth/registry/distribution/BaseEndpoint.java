package dev.berth.registry.distribution;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /v2/}: tells clients that this is a registry speaking the v2 API. */
@Component
class BaseEndpoint implements V2Endpoint {

    private final JsonMapper json;

    BaseEndpoint(JsonMapper json) {
        this.json = json;
    }

    @Override
    public V2Route.Kind kind() {
        return V2Route.Kind.BASE;
    }

    @Override
    public void handle(V2Request request, HttpServletResponse response) throws IOException {
        switch (request.method()) {
            case "GET", "HEAD" -> Responses.json(response, json, "application/json", Map.of(), request.method().equals("HEAD"));
            default -> throw request.methodNotAllowed();
        }
    }
}
