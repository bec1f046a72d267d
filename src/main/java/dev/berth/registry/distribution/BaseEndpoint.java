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
    public V2Methods methods() {
        return V2Methods.of(
                V2Method.of("GET", V2Need.SIGNED_IN, (request, response) -> answer(response, false)),
                V2Method.of("HEAD", V2Need.SIGNED_IN, (request, response) -> answer(response, true)));
    }

    private void answer(HttpServletResponse response, boolean head) throws IOException {
        Responses.json(response, json, "application/json", Map.of(), head);
    }
}
