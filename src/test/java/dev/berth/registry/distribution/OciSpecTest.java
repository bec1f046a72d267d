package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.RegistryIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Base of the distribution spec tests: a client for the booted registry, and the assertions that
 * every rule of the suite shares, above all the shape of an error.
 */
abstract class OciSpecTest extends RegistryIntegrationTest {

    private OciClient client;

    OciClient registry() {
        if (client == null) {
            client = new OciClient(http, port);
        }
        return client;
    }

    /**
     * The OCI errors envelope, with the given status and code: JSON, never HTML, never a stack
     * trace. A HEAD answer has no body, so only its status and type are checked.
     */
    static void assertOciError(OciClient.Response response, int status, String code) {
        assertThat(response.status()).as("status of %s", response.text()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as("Content-Type").startsWith("application/json");
        if (response.body().length == 0) {
            return;
        }
        assertErrorBody(response.text(), code);
    }

    /** The errors envelope in a body, with {@code code} first. */
    static void assertErrorBody(String body, String code) {
        assertThat(body).doesNotContainIgnoringCase("<html").doesNotContain("Exception").doesNotContain("\tat ");
        JsonNode errors = RawHttp.JSON.readTree(body).get("errors");
        assertThat(errors).as("errors in %s", body).isNotNull();
        assertThat(errors.isArray()).isTrue();
        assertThat(errors.size()).isPositive();
        for (JsonNode error : errors) {
            assertThat(error.get("code").isString()).as("code in %s", body).isTrue();
            assertThat(error.get("message").isString()).as("message in %s", body).isTrue();
        }
        assertThat(errors.get(0).get("code").asString()).as("code in %s", body).isEqualTo(code);
    }

    /** The staged upload files, by upload id. */
    static List<String> stagedUploads() {
        return filesUnder(DATA_DIR.resolve("uploads")).stream().map(p -> p.getFileName().toString()).toList();
    }

    /** Where the blob store keeps the bytes of a digest. */
    static Path blobFile(String digest) {
        String[] parts = digest.split(":");
        return DATA_DIR.resolve("blobs").resolve(parts[0]).resolve(parts[1].substring(0, 2)).resolve(parts[1]);
    }

    static List<Path> filesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The upload id at the end of an upload Location. */
    static String uploadId(String location) {
        String path = location.contains("?") ? location.substring(0, location.indexOf('?')) : location;
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
