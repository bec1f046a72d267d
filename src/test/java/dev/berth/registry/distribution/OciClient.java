package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small registry client for the spec tests: one method per HTTP verb, and helpers that push
 * blobs, manifests and whole images the way a client would. Every answer it gets from {@code /v2}
 * is checked for the {@code Docker-Distribution-API-Version} header, so that rule is asserted on
 * every request of the suite.
 */
final class OciClient {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final int port;

    OciClient(HttpClient http, int port) {
        this.http = http;
        this.port = port;
    }

    /** An answer, with its body read whole. */
    record Response(int status, HttpHeaders headers, byte[] body) {

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        List<String> headers(String name) {
            return headers.allValues(name);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    /** A blob as a descriptor needs it. */
    record Blob(String digest, long size, byte[] content) {
        static Blob of(byte[] content) {
            return new Blob(sha256(content), content.length, content);
        }
    }

    /** A pushed image: its config, one layer and the manifest bytes. */
    record Image(String repository, Blob config, Blob layer, byte[] manifest, String digest) {
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    Response get(String path, String... headers) {
        return send("GET", path, (byte[]) null, headers);
    }

    Response head(String path, String... headers) {
        return send("HEAD", path, (byte[]) null, headers);
    }

    Response delete(String path, String... headers) {
        return send("DELETE", path, (byte[]) null, headers);
    }

    Response post(String path, byte[] body, String... headers) {
        return send("POST", path, body, headers);
    }

    Response put(String path, byte[] body, String... headers) {
        return send("PUT", path, body, headers);
    }

    Response patch(String path, byte[] body, String... headers) {
        return send("PATCH", path, body, headers);
    }

    /** @param headers name, value, name, value… */
    Response send(String method, String path, byte[] body, String... headers) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        return send(method, path, publisher, headers);
    }

    Response send(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method, body);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Response answer = new Response(response.statusCode(), response.headers(), response.body());
            if (path.startsWith("/v2")) {
                assertThat(answer.header("Docker-Distribution-API-Version"))
                        .as("Docker-Distribution-API-Version on %s %s", method, path).isEqualTo("registry/2.0");
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- pushing ----

    /** Starts an upload and returns its Location. */
    String startUpload(String repository) {
        Response r = post("/v2/" + repository + "/blobs/uploads/", null);
        assertThat(r.status()).as("POST upload: %s", r.text()).isEqualTo(202);
        return r.header("Location");
    }

    /** Pushes a blob in one request ({@code POST ?digest=}). */
    Blob pushBlob(String repository, byte[] content) {
        Blob blob = Blob.of(content);
        Response r = post("/v2/" + repository + "/blobs/uploads/?digest=" + blob.digest(), content,
                "Content-Type", "application/octet-stream");
        assertThat(r.status()).as("blob push: %s", r.text()).isEqualTo(201);
        return blob;
    }

    /** Pushes a manifest and returns the answer, which must be 201. */
    Response pushManifest(String repository, String reference, String mediaType, byte[] manifest) {
        Response r = putManifest(repository, reference, mediaType, manifest);
        assertThat(r.status()).as("manifest push: %s", r.text()).isEqualTo(201);
        return r;
    }

    Response putManifest(String repository, String reference, String mediaType, byte[] manifest) {
        return put("/v2/" + repository + "/manifests/" + reference, manifest, "Content-Type", mediaType);
    }

    /** Pushes a config and a layer of random bytes and an OCI manifest tagged {@code tag}. */
    Image pushImage(String repository, String tag) {
        Blob config = pushBlob(repository, ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"nonce\":\""
                + ThreadLocalRandom.current().nextLong() + "\"}").getBytes(StandardCharsets.UTF_8));
        Blob layer = pushBlob(repository, randomBytes(1024));
        byte[] manifest = imageManifest(OCI_MANIFEST, OCI_CONFIG, config, OCI_LAYER, layer);
        pushManifest(repository, tag, OCI_MANIFEST, manifest);
        return new Image(repository, config, layer, manifest, sha256(manifest));
    }

    // ---- content ----

    static byte[] imageManifest(String mediaType, String configType, Blob config, String layerType, Blob... layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"config\":"
                + descriptor(configType, config) + ",\"layers\":[");
        for (int i = 0; i < layers.length; i++) {
            json.append(i == 0 ? "" : ",").append(descriptor(layerType, layers[i]));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] index(String mediaType, String childType, String... childDigestsAndSizes) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"manifests\":[");
        for (int i = 0; i < childDigestsAndSizes.length; i += 2) {
            json.append(i == 0 ? "" : ",").append("{\"mediaType\":\"").append(childType).append("\",\"digest\":\"")
                    .append(childDigestsAndSizes[i]).append("\",\"size\":").append(childDigestsAndSizes[i + 1])
                    .append(",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static String descriptor(String mediaType, Blob blob) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + blob.digest() + "\",\"size\":" + blob.size() + "}";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] content) {
        return "sha256:" + hex("SHA-256", content);
    }

    static String sha512(byte[] content) {
        return "sha512:" + hex("SHA-512", content);
    }

    private static String hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
