package dev.berth.registry.distribution;

import dev.berth.oci.Digest;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.MediaType;
import dev.berth.registry.manifest.ManifestService;
import dev.berth.registry.metadata.StoredManifest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v2/<name>/referrers/<digest>[?artifactType=]}: the manifests whose {@code subject}
 * is that digest, as an image index; empty rather than 404 when there are none.
 */
@Component
class ReferrersEndpoint implements V2Endpoint {

    private final ManifestService manifests;
    private final JsonMapper json;

    ReferrersEndpoint(ManifestService manifests, JsonMapper json) {
        this.manifests = manifests;
        this.json = json;
    }

    @Override
    public V2Route.Kind kind() {
        return V2Route.Kind.REFERRERS;
    }

    @Override
    public V2Methods methods() {
        return V2Methods.of(
                V2Method.of("GET", V2Need.PULL, (request, response) -> list(request, response, false)),
                V2Method.of("HEAD", V2Need.PULL, (request, response) -> list(request, response, true)));
    }

    private void list(V2Request request, HttpServletResponse response, boolean head) throws IOException {
        Digest subject = Digest.of(request.argument());
        String artifactType = request.param("artifactType");
        List<Map<String, Object>> descriptors = new ArrayList<>();
        for (StoredManifest m : manifests.referrers(request.name(), subject)) {
            if (artifactType != null && !artifactType.equals(m.artifactType())) {
                continue;
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("mediaType", m.mediaType().value());
            d.put("digest", m.digest().toString());
            d.put("size", m.size());
            if (m.artifactType() != null) {
                d.put("artifactType", m.artifactType());
            }
            Map<String, String> annotations = ManifestParser.parse(m.content(), m.mediaType()).annotations();
            if (!annotations.isEmpty()) {
                d.put("annotations", annotations);
            }
            descriptors.add(d);
        }
        if (artifactType != null) {
            response.setHeader("OCI-Filters-Applied", "artifactType");
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaType.OCI_INDEX.value());
        index.put("manifests", descriptors);
        Responses.json(response, json, MediaType.OCI_INDEX.value(), index, head);
    }
}
