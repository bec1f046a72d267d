package dev.berth.registry.distribution;

import dev.berth.registry.RegistryProperties;
import dev.berth.registry.manifest.ManifestService;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v2/<name>/tags/list[?n=&last=]}: tags in byte order, a page at a time. An {@code n}
 * above the maximum page size is lowered to it, and the {@code Link} header leads on.
 */
@Component
class TagsEndpoint implements V2Endpoint {

    private final ManifestService manifests;
    private final JsonMapper json;
    private final RegistryProperties.Listing listing;

    TagsEndpoint(ManifestService manifests, JsonMapper json, RegistryProperties properties) {
        this.manifests = manifests;
        this.json = json;
        this.listing = properties.listing();
    }

    @Override
    public V2Route.Kind kind() {
        return V2Route.Kind.TAGS;
    }

    @Override
    public V2Methods methods() {
        return V2Methods.of(
                V2Method.of("GET", V2Need.PULL, (request, response) -> list(request, response, false)),
                V2Method.of("HEAD", V2Need.PULL, (request, response) -> list(request, response, true)));
    }

    private void list(V2Request request, HttpServletResponse response, boolean head) throws IOException {
        Integer requested = request.nonNegativeIntParam("n");
        int n = requested == null ? listing.defaultPageSize() : Math.min(requested, listing.maxPageSize());
        ListingPage page = ListingPage.of("/v2/" + request.name() + "/tags/list", n, request.param("last"),
                (last, limit) -> manifests.tagPage(request.name(), last, limit));
        page.link(response);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", request.name().value());
        body.put("tags", page.entries());
        Responses.json(response, json, "application/json", body, head);
    }
}
