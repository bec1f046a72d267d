package dev.berth.testing;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Pushes blobs and manifests to a registry over HTTP, the way a client does (monolithic uploads). */
public final class RegistryPusher {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;

    public RegistryPusher(URI base) {
        this.base = base;
    }

    public Descriptor blob(String repository, MediaType mediaType, byte[] content) {
        Digest digest = Digest.sha256(content);
        HttpResponse<String> posted = send(HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/blobs/uploads/?digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), 201, 202);
        if (posted.statusCode() == 202) {
            // A registry without monolithic POSTs (distribution 2.8) opened a session instead: PUT the bytes to it.
            String location = posted.headers().firstValue("Location").orElseThrow();
            URI session = base.resolve(location);
            send(HttpRequest.newBuilder(URI.create(session + (session.getQuery() == null ? "?" : "&") + "digest=" + digest))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), 201);
        }
        return new Descriptor(mediaType, digest, content.length, null, null, null);
    }

    public Digest manifest(String repository, String reference, MediaType mediaType, byte[] content) {
        send(HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType.value())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), 201);
        return Digest.sha256(content);
    }

    private HttpResponse<String> send(HttpRequest request, int... expected) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (java.util.Arrays.stream(expected).noneMatch(status -> status == response.statusCode())) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                        + response.statusCode() + ": " + response.body());
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
