package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.RegistryIntegrationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class BaseEndpointIT extends RegistryIntegrationTest {

    @Test
    void answersTheVersionCheckWithTheApiVersionHeader() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v2/")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
        assertThat(response.body()).isEqualTo("{}");
    }

    @Test
    void anUnknownEndpointIsAnOciErrorNotAPage() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v2/team/app/nothing-here")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.body()).contains("\"errors\"").contains("\"code\":\"UNSUPPORTED\"");
    }

    @Test
    void theVersionCheckAnswersHeadAndThePathWithoutTrailingSlash() throws Exception {
        HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri("/v2/")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> bare = http.send(HttpRequest.newBuilder(uri("/v2")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
        assertThat(bare.statusCode()).isEqualTo(200);
        assertThat(bare.headers().firstValue("Docker-Distribution-API-Version")).hasValue("registry/2.0");
    }
}
