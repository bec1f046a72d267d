package dev.berth.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Raw OCI distribution calls over {@code java.net.http}, for what no client tool exposes: pushing
 * streamed blobs of any size, hashing what a GET returns as it arrives, reading metrics.
 * Every body streams; nothing here holds a blob in memory.
 */
final class RegistryHttp {

    private static final Duration BIG_BODY_TIMEOUT = Duration.ofMinutes(10);

    private final BerthProcess berth;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    RegistryHttp(BerthProcess berth) {
        this.berth = berth;
    }

    /** {@code POST /v2/<repo>/blobs/uploads/}: the upload's location (absolute). */
    URI startUpload(String repository) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(berth.uri("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(response, 202);
        return location(response);
    }

    /** A PATCH carrying bytes {@code start..start+length-1} of the upload, sent while {@code body} is read. */
    CompletableFuture<HttpResponse<String>> patchAsync(URI location, InputStream body, long start, long length) {
        HttpRequest request = HttpRequest.newBuilder(location)
                .timeout(BIG_BODY_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Range", start + "-" + (start + length - 1))
                .method("PATCH", streamed(() -> body, length))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> patch(URI location, InputStream body, long start, long length) throws IOException, InterruptedException {
        try {
            return patchAsync(location, body, start, length).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("PATCH " + location + " failed", e.getCause());
        }
    }

    /** The closing {@code PUT <location>?digest=} with no body. */
    HttpResponse<String> finish(URI location, String digest) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(withDigest(location, digest)).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    /** A monolithic push: POST, then one PUT carrying the whole blob. */
    HttpResponse<String> pushWhole(String repository, String digest, Supplier<InputStream> body, long length)
            throws IOException, InterruptedException {
        URI location = startUpload(repository);
        try {
            return putAsync(location, digest, body, length).get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("PUT " + location + " failed", e.getCause());
        }
    }

    /** The closing {@code PUT <location>?digest=} carrying the whole blob, sent while {@code body} is read. */
    CompletableFuture<HttpResponse<String>> putAsync(URI location, String digest, Supplier<InputStream> body, long length) {
        HttpRequest request = HttpRequest.newBuilder(withDigest(location, digest))
                .timeout(BIG_BODY_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .PUT(streamed(body, length))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET <location>}: the upload's status. */
    HttpResponse<String> uploadStatus(URI location) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(location));
    }

    /** What {@code GET /v2/<repo>/blobs/<digest>} returns for a byte range, hashed as it streams in. */
    Pulled pullRange(String repository, String digest, long first, long last) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(berth.uri("/v2/" + repository + "/blobs/" + digest))
                .header("Range", "bytes=" + first + "-" + last)
                .timeout(BIG_BODY_TIMEOUT).build(), HttpResponse.BodyHandlers.ofInputStream());
        return hashed(response);
    }

    /** What {@code GET /v2/<repo>/blobs/<digest>} returns, hashed while it streams in. */
    Pulled pull(String repository, String digest) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(berth.uri("/v2/" + repository + "/blobs/" + digest))
                .timeout(BIG_BODY_TIMEOUT).build(), HttpResponse.BodyHandlers.ofInputStream());
        return hashed(response);
    }

    private static Pulled hashed(HttpResponse<InputStream> response) throws IOException {
        try (InputStream in = response.body()) {
            if (response.statusCode() / 100 != 2) {
                return new Pulled(response.statusCode(), null, -1, new String(in.readNBytes(4096), StandardCharsets.UTF_8));
            }
            CountingInputStream counting = new CountingInputStream(in);
            String actual = TestFiles.digest(counting);
            return new Pulled(response.statusCode(), actual, counting.count, "");
        }
    }

    HttpResponse<String> headBlob(String repository, String digest) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(berth.uri("/v2/" + repository + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    HttpResponse<String> putManifest(String repository, String reference, String mediaType, byte[] manifest)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(berth.uri("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
    }

    HttpResponse<byte[]> getManifest(String repository, String reference, String accept) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(berth.uri("/v2/" + repository + "/manifests/" + reference))
                .header("Accept", accept).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The server's {@code berth_blob_pushed_bytes_total} counter: bytes clients actually sent. */
    double pushedBytes() throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(berth.uri("/actuator/prometheus")));
        expect(response, 200);
        return response.body().lines()
                .filter(l -> l.startsWith("berth_blob_pushed_bytes_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim()))
                .findFirst().orElse(0);
    }

    static void expect(HttpResponse<?> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + " instead of " + status + ": " + response.headers().map() + "\n" + response.body());
        }
    }

    /** The same upload location on the server as it runs now (a restart moves it to another port). */
    URI current(URI location) {
        return berth.uri(location.getRawPath() + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery()));
    }

    /** The upload id: the last segment of an upload location. */
    static String uploadId(URI location) {
        String path = location.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The absolute {@code Location} a response points to. */
    static URI location(HttpResponse<?> response) {
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("no Location header on " + response));
        return response.request().uri().resolve(location);
    }

    private static URI withDigest(URI location, String digest) {
        String separator = location.getRawQuery() == null ? "?" : "&";
        return URI.create(location + separator + "digest=" + digest);
    }

    private static HttpRequest.BodyPublisher streamed(Supplier<InputStream> body, long length) {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), length);
    }

    /** A pulled blob: its status, and when 200, the digest and size of the bytes received. */
    record Pulled(int status, String digest, long size, String error) {
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
