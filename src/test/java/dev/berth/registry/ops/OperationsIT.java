package dev.berth.registry.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.testing.RegistryIntegrationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OperationsIT extends RegistryIntegrationTest {

    @Test
    void healthChecksTheDatabaseAndTheStorageDirectory() throws Exception {
        HttpResponse<String> health = get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"db\"").contains("\"storage\"")
                .contains(DATA_DIR.toAbsolutePath().toString());
    }

    @Test
    void prometheusCountsRequestsByEndpointAndBytesByDirection() throws Exception {
        String name = uniqueName("ops");
        byte[] blob = "metrics are counted".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(blob);
        HttpResponse<String> pushed = http.send(HttpRequest.newBuilder(uri("/v2/" + name + "/blobs/uploads/?digest=" + digest))
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob)).header("Content-Type", "application/octet-stream").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pushed.statusCode()).isEqualTo(201);
        assertThat(get("/v2/" + name + "/blobs/" + digest).statusCode()).isEqualTo(200);

        String metrics = get("/actuator/prometheus").body();

        assertThat(metrics).containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/v2/\\{name\\}/blobs/\\{digest\\}\"");
        assertThat(metrics).containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/v2/\\{name\\}/blobs/uploads/\"");
        assertThat(metrics).containsPattern("berth_blob_pushed_bytes_total(\\{[^}]*\\})? [1-9]");
        assertThat(metrics).containsPattern("berth_blob_pulled_bytes_total(\\{[^}]*\\})? [1-9]");
    }

    @Test
    void everyResponseCarriesARequestIdAndEchoesASaneOne() throws Exception {
        HttpResponse<String> fresh = get("/v2/");
        assertThat(fresh.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]+"));

        HttpResponse<String> echoed = http.send(HttpRequest.newBuilder(uri("/v2/")).header("X-Request-Id", "ci-run-42").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(echoed.headers().firstValue("X-Request-Id")).hasValue("ci-run-42");

        HttpResponse<String> hostile = http.send(HttpRequest.newBuilder(uri("/v2/")).header("X-Request-Id", "a\"b c").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(hostile.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]+"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
