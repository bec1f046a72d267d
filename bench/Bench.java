import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The load generator of bench/run: one workload against one registry, figures printed as
 * "name value unit" lines for run to collect. Single-file program: `java bench/Bench.java URL BLOB_FILE PHASE...`.
 * Every request must succeed, or the program exits non-zero.
 */
public class Bench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final long MiB = 1024 * 1024;

    public static void main(String[] args) throws Exception {
        String base = args[0];
        Path blob = Path.of(args[1]);
        String blobDigest = sha256(blob);
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "push-monolithic" -> pushMonolithic(base, blob, blobDigest);
                case "push-chunked" -> pushChunked(base, blob, blobDigest);
                case "push-small" -> pushSmall(base);
                case "pull" -> pull(base, blob, blobDigest, 1);
                case "pull-parallel" -> pull(base, blob, blobDigest, 8);
                case "push-manifests" -> pushManifests(base);
                case "seed-tags" -> seedTags(base, 1000);
                case "seed-catalog" -> seedCatalog(base, 200);
                case "list" -> list(base);
                case "sha256-jvm" -> sha256Speed(blob);
                default -> throw new IllegalArgumentException("unknown phase " + args[i]);
            }
        }
    }

    static void pushMonolithic(String base, Path blob, String digest) throws Exception {
        long size = Files.size(blob);
        long t0 = System.nanoTime();
        String location = startUpload(base, "bench/mono");
        send(HttpRequest.newBuilder(uri(base, location, "digest=" + digest)).PUT(HttpRequest.BodyPublishers.ofFile(blob))
                .header("Content-Type", "application/octet-stream"), 201);
        report("push_monolithic", size / MiB / seconds(t0), "MiB/s");
    }

    static void pushChunked(String base, Path blob, String digest) throws Exception {
        long size = Files.size(blob);
        long chunk = 16 * MiB;
        long t0 = System.nanoTime();
        String location = startUpload(base, "bench/chunked");
        byte[] buffer = new byte[(int) chunk];
        try (InputStream in = Files.newInputStream(blob)) {
            long offset = 0;
            while (offset < size) {
                int n = in.readNBytes(buffer, 0, (int) Math.min(chunk, size - offset));
                HttpResponse<String> r = send(HttpRequest.newBuilder(uri(base, location, null))
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(buffer, 0, n))
                        .header("Content-Type", "application/octet-stream")
                        .header("Content-Range", offset + "-" + (offset + n - 1)), 202);
                location = r.headers().firstValue("Location").orElseThrow();
                offset += n;
            }
        }
        send(HttpRequest.newBuilder(uri(base, location, "digest=" + digest)).PUT(HttpRequest.BodyPublishers.noBody()), 201);
        report("push_chunked_16mib", size / MiB / seconds(t0), "MiB/s");
    }

    static void pushSmall(String base) throws Exception {
        Random random = new Random(7);
        byte[][] blobs = new byte[100][(int) MiB];
        for (byte[] b : blobs) {
            random.nextBytes(b);
        }
        long t0 = System.nanoTime();
        for (byte[] b : blobs) {
            String location = startUpload(base, "bench/small");
            send(HttpRequest.newBuilder(uri(base, location, "digest=" + sha256(b)))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(b)).header("Content-Type", "application/octet-stream"), 201);
        }
        report("push_100x1mib", 100 / seconds(t0), "blobs/s");
    }

    static void pull(String base, Path blob, String digest, int parallel) throws Exception {
        long size = Files.size(blob);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        long t0 = System.nanoTime();
        List<Future<Long>> results = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            results.add(pool.submit(() -> drain(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v2/bench/mono/blobs/" + digest)).build(),
                    HttpResponse.BodyHandlers.ofInputStream()))));
        }
        long total = 0;
        for (Future<Long> f : results) {
            total += f.get();
        }
        pool.shutdown();
        if (total != size * parallel) {
            throw new IllegalStateException("pulled " + total + " bytes, expected " + size * parallel);
        }
        report(parallel == 1 ? "pull" : "pull_8_parallel", total / MiB / seconds(t0), "MiB/s");
    }

    static void pushManifests(String base) throws Exception {
        String config = pushBlob(base, "bench/manifests", "{}".getBytes(StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            send(manifestPut(base, "bench/manifests", "m" + i, manifest(config, i)), 201);
        }
        report("push_manifests", 1000 / seconds(t0), "req/s");
    }

    static void seedTags(String base, int count) throws Exception {
        String config = pushBlob(base, "bench/tags", "{}".getBytes(StandardCharsets.UTF_8));
        byte[] body = manifest(config, 0);
        for (int i = 0; i < count; i++) {
            send(manifestPut(base, "bench/tags", String.format("t%05d", i), body), 201);
        }
    }

    static void seedCatalog(String base, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String repo = String.format("bench/catalog%04d", i);
            String config = pushBlob(base, repo, "{}".getBytes(StandardCharsets.UTF_8));
            send(manifestPut(base, repo, "latest", manifest(config, 0)), 201);
        }
    }

    /** Median latency of the tag list (1,000 tags) and the catalog, over 50 requests each. */
    static void list(String base) throws Exception {
        report("tags_list_1000_p50", medianMillis(() -> base + "/v2/bench/tags/tags/list?n=1000"), "ms");
        report("catalog_p50", medianMillis(() -> base + "/v2/_catalog?n=1000"), "ms");
    }

    static double medianMillis(Supplier<String> url) throws Exception {
        double[] times = new double[50];
        for (int i = 0; i < times.length; i++) {
            long t0 = System.nanoTime();
            send(HttpRequest.newBuilder(URI.create(url.get())), 200);
            times[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2];
    }

    /** The JVM's own SHA-256 speed over the (page-cached) blob: the ceiling of a hashing push. */
    static void sha256Speed(Path blob) throws Exception {
        long size = Files.size(blob);
        long t0 = System.nanoTime();
        sha256(blob);
        report("sha256_jvm", size / MiB / seconds(t0), "MiB/s");
    }

    static byte[] manifest(String configDigest, int n) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":2},"
                + "\"layers\":[],\"annotations\":{\"n\":\"" + n + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    static HttpRequest.Builder manifestPut(String base, String repo, String tag, byte[] body) {
        return HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/manifests/" + tag))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json");
    }

    static String pushBlob(String base, String repo, byte[] content) throws Exception {
        String digest = sha256(content);
        String location = startUpload(base, repo);
        send(HttpRequest.newBuilder(uri(base, location, "digest=" + digest)).PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                .header("Content-Type", "application/octet-stream"), 201);
        return digest;
    }

    static String startUpload(String base, String repo) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()), 202);
        return r.headers().firstValue("Location").orElseThrow();
    }

    static URI uri(String base, String location, String query) {
        String url = location.startsWith("http") ? location : base + location;
        if (query != null) {
            url += (url.contains("?") ? "&" : "?") + query;
        }
        return URI.create(url);
    }

    static HttpResponse<String> send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(request.build().method() + " " + request.build().uri() + " answered "
                    + r.statusCode() + " (expected " + expected + "): " + r.body());
        }
        return r;
    }

    static long drain(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("pull answered " + response.statusCode());
        }
        byte[] buffer = new byte[1 << 20];
        long total = 0;
        try (InputStream in = response.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
        }
        return total;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    static String sha256(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static void report(String name, double value, String unit) {
        System.out.printf("%s %.1f %s%n", name, value, unit);
    }
}
