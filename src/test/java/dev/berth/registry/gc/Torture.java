package dev.berth.registry.gc;

import dev.berth.oci.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * What the GC torture tests share: clients that run beside GC workers looping without pause,
 * raw {@code /v2} requests, and image manifests made of given blobs.
 */
final class Torture {

    private static final int GC_WORKERS = 2;

    private final HttpClient http;
    private final Function<String, URI> uri;

    Torture(HttpClient http, Function<String, URI> uri) {
        this.http = http;
        this.uri = uri;
    }

    /**
     * Runs each client until it returns, beside two GC workers that run {@code gc} without pause
     * and stop when the clients are done. A client's failure fails the call.
     */
    static void runBesideGc(GarbageCollector gc, long runMillis, List<Callable<?>> clients) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(clients.size() + GC_WORKERS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < GC_WORKERS; w++) {
                workers.add(threads.submit(() -> {
                    while (!stop.get()) {
                        gc.runOnce();
                    }
                    return null;
                }));
            }
            List<Future<?>> running = new ArrayList<>();
            clients.forEach(c -> running.add(threads.submit(c)));
            for (Future<?> f : running) {
                f.get(runMillis + 120_000, TimeUnit.MILLISECONDS);
            }
            stop.set(true);
            for (Future<?> f : workers) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            threads.shutdownNow();
        }
    }

    /** The same client {@code count} times: each runs {@code step} over and over until {@code runMillis} have passed. */
    static List<Callable<?>> clients(int count, long runMillis, Runnable step) {
        long end = System.currentTimeMillis() + runMillis;
        List<Callable<?>> clients = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            clients.add(() -> {
                while (System.currentTimeMillis() < end) {
                    step.run();
                }
                return null;
            });
        }
        return clients;
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(path.startsWith("http") ? URI.create(path) : uri.apply(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }

    /** A monolithic blob upload ({@code POST ?digest=}). */
    HttpResponse<byte[]> pushBlob(String repo, byte[] content) {
        return send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Digest.sha256(content), content,
                "Content-Type", "application/octet-stream");
    }

    HttpResponse<byte[]> putManifest(String repo, String reference, byte[] manifest) {
        return send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest, "Content-Type", "application/vnd.oci.image.manifest.v1+json");
    }

    /** An OCI image manifest of {@code config} and {@code layers}. */
    static byte[] imageManifest(byte[] config, List<byte[]> layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            json.append(i == 0 ? "" : ",").append(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layers.get(i)));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An image config that differs per {@code n}. */
    static byte[] config(long n) {
        return ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static String descriptor(String type, byte[] content) {
        return "{\"mediaType\":\"" + type + "\",\"digest\":\"" + Digest.sha256(content) + "\",\"size\":" + content.length + "}";
    }
}
