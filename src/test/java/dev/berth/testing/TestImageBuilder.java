package dev.berth.testing;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An image built in a test (gzip layers from {@link TarBuilder}, a config with history) and pushed
 * to a running registry over the real /v2 API, as a client would.
 */
public final class TestImageBuilder {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectNode config = JSON.createObjectNode();
    private final ObjectNode runConfig = config.putObject("config");
    private final ArrayNode history = config.putArray("history");
    private final ArrayNode diffIds;
    private final List<byte[]> layers = new ArrayList<>();
    private String authorization;

    /** What was pushed: the manifest's digest and its blobs'. */
    public record Pushed(String digest, String configDigest, List<String> layerDigests) {
    }

    public TestImageBuilder() {
        config.put("architecture", "amd64").put("os", "linux").put("created", "2026-11-01T12:00:00Z");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        diffIds = rootfs.putArray("diff_ids");
    }

    public TestImageBuilder platform(String os, String architecture) {
        config.put("os", os).put("architecture", architecture);
        return this;
    }

    public TestImageBuilder variant(String variant) {
        config.put("variant", variant);
        return this;
    }

    public TestImageBuilder layer(String createdBy, TarBuilder layer) {
        return layer(createdBy, layer.tar());
    }

    /** A layer of any tar, gzipped as {@link TarBuilder#gzip(byte[])} does (e.g. a {@link TestLayer} with names no tool writes). */
    public TestImageBuilder layer(String createdBy, byte[] tar) {
        diffIds.add(Digest.sha256(tar).toString());
        layers.add(TarBuilder.gzip(tar));
        history.addObject().put("created", "2026-11-01T12:00:00Z").put("created_by", createdBy);
        return this;
    }

    /** A build step that made no layer (ENV, CMD, ...). */
    public TestImageBuilder emptyStep(String createdBy) {
        history.addObject().put("created", "2026-11-01T12:00:00Z").put("created_by", createdBy).put("empty_layer", true);
        return this;
    }

    public TestImageBuilder env(String... env) {
        ArrayNode a = runConfig.putArray("Env");
        for (String e : env) {
            a.add(e);
        }
        return this;
    }

    public TestImageBuilder entrypoint(String... args) {
        ArrayNode a = runConfig.putArray("Entrypoint");
        for (String e : args) {
            a.add(e);
        }
        return this;
    }

    public TestImageBuilder cmd(String... args) {
        ArrayNode a = runConfig.putArray("Cmd");
        for (String e : args) {
            a.add(e);
        }
        return this;
    }

    public TestImageBuilder workingDir(String dir) {
        runConfig.put("WorkingDir", dir);
        return this;
    }

    public TestImageBuilder user(String user) {
        runConfig.put("User", user);
        return this;
    }

    public TestImageBuilder exposedPort(String port) {
        ObjectNode ports = runConfig.has("ExposedPorts") ? (ObjectNode) runConfig.get("ExposedPorts") : runConfig.putObject("ExposedPorts");
        ports.putObject(port);
        return this;
    }

    public TestImageBuilder label(String key, String value) {
        ObjectNode labels = runConfig.has("Labels") ? (ObjectNode) runConfig.get("Labels") : runConfig.putObject("Labels");
        labels.put(key, value);
        return this;
    }

    /**
     * Sends Basic credentials with every push request (the registry accepts them straight on
     * {@code /v2}); needed when access control is on.
     */
    public TestImageBuilder as(String username, String password) {
        this.authorization = "Basic " + java.util.Base64.getEncoder().encodeToString(utf8(username + ":" + password));
        return this;
    }

    /** Pushes the blobs, then an OCI manifest under {@code reference} (a tag or a digest). */
    public Pushed push(HttpClient http, Function<String, URI> uri, String repository, String reference) throws IOException, InterruptedException {
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configDigest = pushBlob(http, uri, repository, configBytes, authorization);
        ObjectNode manifest = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", configDigest).put("size", configBytes.length);
        ArrayNode layerArray = manifest.putArray("layers");
        List<String> layerDigests = new ArrayList<>();
        for (byte[] layer : layers) {
            String d = pushBlob(http, uri, repository, layer, authorization);
            layerDigests.add(d);
            layerArray.addObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip").put("digest", d).put("size", layer.length);
        }
        String digest = pushManifest(http, uri, repository, reference, "application/vnd.oci.image.manifest.v1+json",
                JSON.writeValueAsBytes(manifest), authorization);
        return new Pushed(digest, configDigest, layerDigests);
    }

    /** Pushes an OCI index of already pushed manifests, each with its platform. */
    public static String pushIndex(HttpClient http, Function<String, URI> uri, String repository, String tag,
                                   List<String[]> digestSizePlatform) throws IOException, InterruptedException {
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode manifests = index.putArray("manifests");
        for (String[] m : digestSizePlatform) {
            String[] platform = m[2].split("/");
            ObjectNode entry = manifests.addObject().put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                    .put("digest", m[0]).put("size", Long.parseLong(m[1]));
            entry.putObject("platform").put("os", platform[0]).put("architecture", platform[1]);
        }
        return pushManifest(http, uri, repository, tag, "application/vnd.oci.image.index.v1+json", JSON.writeValueAsBytes(index));
    }

    public static String pushBlob(HttpClient http, Function<String, URI> uri, String repository, byte[] blob)
            throws IOException, InterruptedException {
        return pushBlob(http, uri, repository, blob, null);
    }

    private static String pushBlob(HttpClient http, Function<String, URI> uri, String repository, byte[] blob,
                                   String authorization) throws IOException, InterruptedException {
        String digest = Digest.sha256(blob).toString();
        HttpResponse<String> r = http.send(authorized(HttpRequest.newBuilder(uri.apply("/v2/" + repository + "/blobs/uploads/?digest=" + digest)), authorization)
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(blob)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("blob push failed: " + r.statusCode() + " " + r.body());
        }
        return digest;
    }

    public static String pushManifest(HttpClient http, Function<String, URI> uri, String repository, String reference,
                                      String mediaType, byte[] body) throws IOException, InterruptedException {
        return pushManifest(http, uri, repository, reference, mediaType, body, null);
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String authorization) {
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private static String pushManifest(HttpClient http, Function<String, URI> uri, String repository, String reference,
                                       String mediaType, byte[] body, String authorization) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(authorized(HttpRequest.newBuilder(uri.apply("/v2/" + repository + "/manifests/" + reference)), authorization)
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("manifest push failed: " + r.statusCode() + " " + r.body());
        }
        return Digest.sha256(body).toString();
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
