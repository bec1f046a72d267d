package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.RegistryProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The method tables of the {@code /v2} endpoints: which methods each answers (and so its
 * {@code Allow}), what each needs of the caller, how each takes a body. The endpoints are the real
 * ones; their services are never called here, so they are left out.
 */
class V2EndpointsTest {

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
            "CONNECT", "PROPFIND", "get", "Head", "delete");

    private static List<V2Endpoint> endpoints() {
        RegistryProperties properties = new Binder(new MapConfigurationPropertySource()).bindOrCreate("berth", RegistryProperties.class);
        JsonMapper json = JsonMapper.builder().build();
        return List.of(
                new BaseEndpoint(json),
                new CatalogEndpoint(null, null, json, properties),
                new UploadsEndpoint(null, null, null, properties, null, null),
                new UploadEndpoint(null, null),
                new BlobEndpoint(null, null, new SimpleMeterRegistry(), null, null, null),
                new ManifestEndpoint(null, null, properties, null, null),
                new TagsEndpoint(null, json, properties),
                new ReferrersEndpoint(null, json));
    }

    private static Map<String, V2Need> methods(Object... methodAndNeed) {
        Map<String, V2Need> out = new LinkedHashMap<>();
        for (int i = 0; i < methodAndNeed.length; i += 2) {
            out.put((String) methodAndNeed[i], (V2Need) methodAndNeed[i + 1]);
        }
        return out;
    }

    /** Every route × method a request may name, and what it needs; anything else is a 405. */
    private static Map<V2Route.Kind, Map<String, V2Need>> expected() {
        Map<V2Route.Kind, Map<String, V2Need>> table = new EnumMap<>(V2Route.Kind.class);
        table.put(V2Route.Kind.BASE, methods("GET", V2Need.SIGNED_IN, "HEAD", V2Need.SIGNED_IN));
        table.put(V2Route.Kind.CATALOG, methods("GET", V2Need.CATALOG, "HEAD", V2Need.CATALOG));
        table.put(V2Route.Kind.UPLOADS, methods("POST", V2Need.PUSH));
        table.put(V2Route.Kind.UPLOAD, methods("GET", V2Need.PUSH, "PATCH", V2Need.PUSH, "PUT", V2Need.PUSH, "DELETE", V2Need.PUSH));
        table.put(V2Route.Kind.BLOB, methods("GET", V2Need.PULL, "HEAD", V2Need.PULL, "DELETE", V2Need.DELETE));
        table.put(V2Route.Kind.MANIFEST, methods("GET", V2Need.PULL, "HEAD", V2Need.PULL, "PUT", V2Need.PUSH, "DELETE", V2Need.DELETE));
        table.put(V2Route.Kind.TAGS, methods("GET", V2Need.PULL, "HEAD", V2Need.PULL));
        table.put(V2Route.Kind.REFERRERS, methods("GET", V2Need.PULL, "HEAD", V2Need.PULL));
        return table;
    }

    private static V2Route route(V2Route.Kind kind) {
        boolean named = kind != V2Route.Kind.BASE && kind != V2Route.Kind.CATALOG;
        return new V2Route(kind, named ? RepositoryName.of("team/app") : null, null);
    }

    private static V2Request request(V2Route.Kind kind, Map<String, List<String>> query) {
        return new V2Request(null, route(kind), V2Principal.UNCHECKED, query);
    }

    @Test
    void eachRouteAnswersItsMethodsAndNeedsWhatTheyDo() {
        V2Endpoints endpoints = new V2Endpoints(endpoints());
        expected().forEach((kind, methods) -> methods.forEach((method, need) ->
                assertThat(endpoints.find(route(kind), method).need()).as("%s %s", method, kind.pattern()).isEqualTo(need)));
    }

    @Test
    void anyOtherMethodIs405WithTheEndpointsAllow() {
        V2Endpoints endpoints = new V2Endpoints(endpoints());
        expected().forEach((kind, methods) -> {
            String allow = String.join(", ", methods.keySet());
            assertThat(endpoints.of(kind).allow()).as(kind.pattern()).isEqualTo(allow);
            for (String method : METHODS) {
                if (methods.containsKey(method)) {
                    continue;
                }
                assertThatThrownBy(() -> endpoints.find(route(kind), method)).as("%s %s", method, kind.pattern())
                        .isInstanceOfSatisfying(V2Methods.MethodNotAllowed.class, e -> {
                            assertThat(e.code()).isEqualTo(OciErrorCode.UNSUPPORTED);
                            assertThat(e.code().httpStatus()).isEqualTo(405);
                            assertThat(e.allow()).isEqualTo(allow);
                            assertThat(e.getMessage()).isEqualTo(method + " is not supported on " + kind.pattern());
                        });
            }
        });
    }

    @Test
    void theAllowHeadersAreThoseClientsSee() {
        V2Endpoints endpoints = new V2Endpoints(endpoints());
        assertThat(endpoints.of(V2Route.Kind.BASE).allow()).isEqualTo("GET, HEAD");
        assertThat(endpoints.of(V2Route.Kind.UPLOADS).allow()).isEqualTo("POST");
        assertThat(endpoints.of(V2Route.Kind.UPLOAD).allow()).isEqualTo("GET, PATCH, PUT, DELETE");
        assertThat(endpoints.of(V2Route.Kind.BLOB).allow()).isEqualTo("GET, HEAD, DELETE");
        assertThat(endpoints.of(V2Route.Kind.MANIFEST).allow()).isEqualTo("GET, HEAD, PUT, DELETE");
    }

    @Test
    void onlyBlobWritesStreamTheirBodyAndOnlyAManifestPushGathersIt() {
        V2Endpoints endpoints = new V2Endpoints(endpoints());
        Map<String, List<String>> none = Map.of();
        List<String> streamed = new ArrayList<>();
        List<String> gathered = new ArrayList<>();
        expected().forEach((kind, methods) -> methods.keySet().forEach(method -> {
            V2Method.Body body = endpoints.find(route(kind), method).body().apply(request(kind, none));
            if (body == V2Method.Body.STREAMED) {
                streamed.add(method + " " + kind);
            } else if (body == V2Method.Body.MANIFEST) {
                gathered.add(method + " " + kind);
            }
        }));
        assertThat(streamed).containsExactlyInAnyOrder("PATCH UPLOAD", "PUT UPLOAD");
        assertThat(gathered).containsExactly("PUT MANIFEST");
    }

    @Test
    void aPostStreamsOnlyAWholeBlob() {
        V2Method post = new V2Endpoints(endpoints()).find(route(V2Route.Kind.UPLOADS), "POST");
        String digest = "sha256:" + "a".repeat(64);

        assertThat(post.body().apply(request(V2Route.Kind.UPLOADS, Map.of("digest", List.of(digest))))).isEqualTo(V2Method.Body.STREAMED);
        assertThat(post.body().apply(request(V2Route.Kind.UPLOADS, Map.of("mount", List.of(digest), "from", List.of("a")))))
                .isEqualTo(V2Method.Body.NONE);
        assertThat(post.body().apply(request(V2Route.Kind.UPLOADS, Map.of("digest", List.of(digest), "mount", List.of(digest)))))
                .isEqualTo(V2Method.Body.NONE);
        assertThat(post.body().apply(request(V2Route.Kind.UPLOADS, Map.of()))).isEqualTo(V2Method.Body.NONE);
    }

    @Test
    void aLongMethodNameIsNotEchoed() {
        String method = "X".repeat(5000);
        assertThatThrownBy(() -> new V2Endpoints(endpoints()).find(route(V2Route.Kind.BASE), method))
                .isInstanceOf(V2Methods.MethodNotAllowed.class).hasMessage("this method is not supported on /v2/");
    }

    @Test
    void everyRouteKindHasExactlyOneEndpoint() {
        List<V2Endpoint> all = endpoints();
        assertThatThrownBy(() -> new V2Endpoints(all.subList(1, all.size())))
                .isInstanceOf(IllegalStateException.class).hasMessage("no endpoint for /v2/");
        List<V2Endpoint> twice = new ArrayList<>(all);
        twice.add(all.get(4));
        assertThatThrownBy(() -> new V2Endpoints(twice))
                .isInstanceOf(IllegalStateException.class).hasMessage("two endpoints for /v2/{name}/blobs/{digest}");
    }

    @Test
    void aMethodIsDeclaredOnce() {
        V2Method get = V2Method.of("GET", V2Need.PULL, (request, response) -> { });
        assertThatThrownBy(() -> V2Methods.of(get, V2Method.of("HEAD", V2Need.PULL, get.handler()), get))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("method GET declared twice");
    }
}
