package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.registry.RegistryProperties;
import dev.berth.registry.auth.AccessPolicy;
import dev.berth.registry.repository.RepositoryService;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v2/_catalog[?n=&last=]}: repositories that hold at least one manifest, in byte
 * order. As in distribution, an {@code n} above the maximum page size is refused. Under access
 * control it lists only the repositories the caller may pull.
 */
@Component
class CatalogEndpoint implements V2Endpoint {

    private final RepositoryService repositories;
    private final V2Access access;
    private final JsonMapper json;
    private final RegistryProperties.Listing listing;

    CatalogEndpoint(RepositoryService repositories, V2Access access, JsonMapper json,
            RegistryProperties properties) {
        this.repositories = repositories;
        this.access = access;
        this.json = json;
        this.listing = properties.listing();
    }

    @Override
    public V2Route.Kind kind() {
        return V2Route.Kind.CATALOG;
    }

    @Override
    public V2Methods methods() {
        return V2Methods.of(
                V2Method.of("GET", V2Need.CATALOG, (request, response) -> list(request, response, false)),
                V2Method.of("HEAD", V2Need.CATALOG, (request, response) -> list(request, response, true)));
    }

    private void list(V2Request request, HttpServletResponse response, boolean head) throws IOException {
        Integer requested = request.nonNegativeIntParam("n");
        if (requested != null && requested > listing.maxPageSize()) {
            throw new OciException(OciErrorCode.PAGINATION_NUMBER_INVALID,
                    "n must be at most " + listing.maxPageSize(), Map.of("n", requested));
        }
        int n = requested == null ? listing.defaultPageSize() : requested;
        ListingPage page = ListingPage.of("/v2/_catalog", n, request.param("last"),
                (last, limit) -> limit == 0 ? List.of() : page(request.principal(), last, limit));
        page.link(response);
        Responses.json(response, json, "application/json", Map.of("repositories", page.entries()), head);
    }

    /** Only what the caller may pull, filtered in the query so that pages stay full. */
    private List<String> page(V2Principal caller, String last, int limit) {
        AccessPolicy.PullableFilter filter = access.pullableFilter(caller, "r.name");
        if (filter == null) {
            return repositories.catalog(last, limit);
        }
        return repositories.catalog(last, limit, filter.sql(), filter.params());
    }
}
