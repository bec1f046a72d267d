package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Digest;
import dev.berth.testing.RegistryIntegrationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Query parameters come from the URL only: a body that looks like a form is still a blob. */
class QueryParameterIT extends RegistryIntegrationTest {

    @Test
    void aBlobSentAsAFormIsStoredByteForByte() throws Exception {
        String name = uniqueName("forms");
        byte[] blob = "digest=sha256:0&mount=x&a=b".getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256(blob);

        HttpResponse<String> pushed = http.send(HttpRequest.newBuilder(uri("/v2/" + name + "/blobs/uploads/?digest=" + digest))
                .POST(HttpRequest.BodyPublishers.ofByteArray(blob))
                .header("Content-Type", "application/x-www-form-urlencoded").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(201);

        HttpResponse<byte[]> pulled = http.send(HttpRequest.newBuilder(uri("/v2/" + name + "/blobs/" + digest)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pulled.body()).isEqualTo(blob);
    }
}
