package dev.berth.registry.distribution;

import dev.berth.registry.RegistryProperties;
import dev.berth.registry.manifest.ManifestService;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
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
    public void handle(V2Request request, HttpServletResponse response) throws IOException {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            throw request.methodNotAllowed();
        }
        Integer requested = request.nonNegativeIntParam("n");
        int n = requested == null ? listing.defaultPageSize() : Math.min(requested, listing.maxPageSize());
        String last = request.param("last");
        List<String> page = manifests.tagPage(request.name(), last, n == 0 ? 0 : n + 1);
        if (page.size() > n) {
            page = page.subList(0, n);
            response.setHeader("Link", Responses.nextLink("/v2/" + request.name() + "/tags/list", n, page.get(n - 1)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", request.name().value());
        body.put("tags", page);
        Responses.json(response, json, "application/json", body, request.method().equals("HEAD"));
    }
}
