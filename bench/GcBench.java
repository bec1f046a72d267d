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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client of bench/gc: the same content for every registry (seeded), deletes, and the wait for
 * the bytes to leave the disk, with a push and pull load beside it.
 *
 *   populate BASE N STATE          N images (2 of 16 shared 128 KiB layers, a unique 64 KiB layer, a config), tags img-I
 *   delete BASE STATE              DELETE the manifests of the odd images, by digest
 *   reclaim LAYOUT DIR STATE [BASE] wait until the odd images' own blobs are gone from DIR (berth|dist layout),
 *                                  with a load against BASE meanwhile (push a fresh 1 MiB blob, pull a tagged one)
 *   load BASE SECONDS              the same load for a fixed time
 *   verify LAYOUT DIR STATE        the odd images' own blobs are gone, every blob of the even images is there
 */
public class GcBench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String REPO = "bench/gc";
    static final int SHARED = 16;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "populate" -> populate(args[1], Integer.parseInt(args[2]), Path.of(args[3]));
            case "delete" -> delete(args[1], Path.of(args[2]));
            case "reclaim" -> reclaim(args[1], Path.of(args[2]), Path.of(args[3]), args.length > 4 ? args[4] : null);
            case "load" -> {
                Load load = new Load(args[1]);
                load.runFor(Long.parseLong(args[2]) * 1000);
                load.report("load_idle");
            }
            case "verify" -> verify(args[1], Path.of(args[2]), Path.of(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void populate(String base, int n, Path state) throws Exception {
        List<byte[]> shared = new ArrayList<>();
        for (int s = 0; s < SHARED; s++) {
            shared.add(bytes(1000 + s, 128 * 1024));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> lines = new ArrayList<>();
        long t0 = System.nanoTime();
        for (byte[] layer : shared) {
            pushBlob(base, layer);
        }
        // The blob the load pulls, kept by a tag (with no review delay, GC takes a blob no manifest references at once).
        byte[] pulled = bytes(7, 1 << 20);
        byte[] loadConfig = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        pushBlob(base, pulled);
        pushBlob(base, loadConfig);
        send(HttpRequest.newBuilder(URI.create(base + "/v2/" + REPO + "/manifests/load"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", loadConfig) + ",\"layers\":["
                        + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", pulled) + "]}").getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json"), 201);
        for (int i = 0; i < n; i++) {
            int image = i;
            lines.add(pool.submit(() -> {
                byte[] own = bytes(1_000_000 + image, 64 * 1024);
                byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"image\":" + image + "}").getBytes(StandardCharsets.UTF_8);
                byte[] a = shared.get(image % SHARED);
                byte[] b = shared.get((image * 7 + 3) % SHARED);
                for (byte[] blob : List.of(config, own)) {
                    pushBlob(base, blob);
                }
                byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                        + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":["
                        + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", a) + ","
                        + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", b) + ","
                        + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", own) + "]}").getBytes(StandardCharsets.UTF_8);
                send(HttpRequest.newBuilder(URI.create(base + "/v2/" + REPO + "/manifests/img-" + image))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest))
                        .header("Content-Type", "application/vnd.oci.image.manifest.v1+json"), 201);
                String own2 = sha256(own) + " " + sha256(config);
                return image % 2 == 1
                        ? "doomed " + sha256(manifest) + "\ngone " + own2.replace(" ", "\ngone ")
                        : "kept " + own2.replace(" ", "\nkept ") + "\nkept " + sha256(a) + "\nkept " + sha256(b);
            }));
        }
        StringBuilder out = new StringBuilder();
        for (Future<String> line : lines) {
            out.append(line.get()).append('\n');
        }
        pool.shutdown();
        Files.writeString(state, out);
        System.out.printf("populate_images %d images in %.1f s%n", n, seconds(t0));
    }

    static void delete(String base, Path state) throws Exception {
        long t0 = System.nanoTime();
        int n = 0;
        for (String line : Files.readAllLines(state)) {
            if (line.startsWith("doomed ")) {
                send(HttpRequest.newBuilder(URI.create(base + "/v2/" + REPO + "/manifests/" + line.substring(7))).DELETE(), 202);
                n++;
            }
        }
        System.out.printf("delete_manifests %d in %.1f s%n", n, seconds(t0));
    }

    /**
     * Started just before the server: the clock runs from then (the server's start-up counts); the
     * load begins once {@code GET /v2/} answers and stops when the last blob is gone.
     */
    static void reclaim(String layout, Path dir, Path state, String base) throws Exception {
        long t0 = System.nanoTime();
        List<Path> gone = files(layout, dir, state, "gone ");
        long bytes = 0;
        for (Path p : gone) {
            bytes += Files.size(p);
        }
        Load load = base == null ? null : new Load(base);
        long[] ready = {0};
        Thread loader = load == null ? null : new Thread(() -> {
            load.awaitServer();
            ready[0] = System.nanoTime();
            load.runFor(Long.MAX_VALUE);
        });
        if (loader != null) {
            loader.start();
        }
        while (gone.stream().anyMatch(Files::exists)) {
            Thread.sleep(20);
        }
        long end = System.nanoTime();
        if (load != null) {
            load.stop.set(true);
            loader.join();
            load.report("load_during_gc");
            System.out.printf("load_window %.2f s (from the server's first answer to the last blob gone)%n",
                    ready[0] == 0 ? 0 : Math.max(0, (end - ready[0]) / 1e9));
        }
        System.out.printf("reclaim_seconds %.2f s (%d blobs, %d bytes)%n", (end - t0) / 1e9, gone.size(), bytes);
        verify(layout, dir, state);
    }

    static void verify(String layout, Path dir, Path state) throws Exception {
        long left = files(layout, dir, state, "gone ").stream().filter(Files::exists).count();
        long missing = files(layout, dir, state, "kept ").stream().filter(p -> !Files.exists(p)).count();
        if (left > 0 || missing > 0) {
            throw new IllegalStateException(left + " blobs of deleted images left, " + missing + " blobs of kept images missing");
        }
        System.out.println("verified: every blob of a deleted image gone, every blob of a kept image there");
    }

    static List<Path> files(String layout, Path dir, Path state, String prefix) throws IOException {
        return Files.readAllLines(state).stream().filter(l -> l.startsWith(prefix)).distinct().map(l -> {
            String hex = l.substring(prefix.length() + "sha256:".length());
            return layout.equals("berth")
                    ? dir.resolve("blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex)
                    : dir.resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
        }).toList();
    }

    /** One client pushing a fresh 1 MiB blob and pulling it back, over and over. */
    static final class Load {
        final String base;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong pushNanos = new AtomicLong();
        final AtomicLong pullNanos = new AtomicLong();
        long blobs;

        Load(String base) {
            this.base = base;
        }

        void awaitServer() {
            for (int i = 0; i < 3000; i++) {
                try {
                    if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v2/")).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Pushes a fresh 1 MiB blob (nothing references it: GC may take it at once), then pulls the tagged 1 MiB layer. */
        void runFor(long millis) {
            long end = System.currentTimeMillis() + Math.min(millis, Long.MAX_VALUE / 2);
            Random random = new Random();
            byte[] blob = new byte[1 << 20];
            try {
                String pulled = sha256(bytes(7, 1 << 20));
                while (!stop.get() && System.currentTimeMillis() < end) {
                    random.nextBytes(blob);
                    long t0 = System.nanoTime();
                    pushBlob(base, "bench/load", blob);
                    long t1 = System.nanoTime();
                    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v2/" + REPO + "/blobs/" + pulled)).build(),
                            HttpResponse.BodyHandlers.ofInputStream());
                    if (r.statusCode() != 200 || r.body().transferTo(java.io.OutputStream.nullOutputStream()) != blob.length) {
                        throw new IllegalStateException("pull of " + pulled + " answered " + r.statusCode());
                    }
                    pushNanos.addAndGet(t1 - t0);
                    pullNanos.addAndGet(System.nanoTime() - t1);
                    blobs++;
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        void report(String name) {
            System.out.printf("%s_push %.1f MiB/s, %s_pull %.1f MiB/s (%d blobs of 1 MiB)%n", name, blobs / (pushNanos.get() / 1e9),
                    name, blobs / (pullNanos.get() / 1e9), blobs);
        }
    }

    static String pushBlob(String base, byte[] content) throws Exception {
        return pushBlob(base, REPO, content);
    }

    static String pushBlob(String base, String repo, byte[] content) throws Exception {
        String digest = sha256(content);
        HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()), 202);
        String location = started.headers().firstValue("Location").orElseThrow();
        String url = (location.startsWith("http") ? location : base + location);
        send(HttpRequest.newBuilder(URI.create(url + (url.contains("?") ? "&" : "?") + "digest=" + digest))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).header("Content-Type", "application/octet-stream"), 201);
        return digest;
    }

    static HttpResponse<String> send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(request.build().method() + " " + request.build().uri() + " answered "
                    + r.statusCode() + " (expected " + expected + "): " + r.body());
        }
        return r;
    }

    static String descriptor(String type, byte[] content) throws Exception {
        return "{\"mediaType\":\"" + type + "\",\"digest\":\"" + sha256(content) + "\",\"size\":" + content.length + "}";
    }

    static byte[] bytes(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
