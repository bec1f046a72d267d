import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Blob GET latency with and without stalled request bodies, against any registry (issue 12, item 5):
 * pushes a 1 MiB blob, times 50 GETs of it (after 50 untimed), then starts N uploads, opens a
 * PATCH to each that announces 10 MB and sends a byte every 2 s, and times 50 GETs again; a GET
 * that takes more than 10 s counts as a timeout, and two end the round.
 *
 * <pre>java bench/StalledBodies.java http://127.0.0.1:5000 500 [server pid, for its threads and RSS]</pre>
 */
public class StalledBodies {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String REPOSITORY = "bench/stalled";

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int stalled = Integer.parseInt(args[1]);
        byte[] blob = new byte[1024 * 1024];
        new Random(1).nextBytes(blob);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
        URI upload = start(base);
        HttpResponse<String> pushed = HTTP.send(HttpRequest.newBuilder(withDigest(upload, digest))
                .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (pushed.statusCode() != 201) {
            throw new IllegalStateException("push answered " + pushed.statusCode() + ": " + pushed.body());
        }
        time(base, digest);
        System.out.println("0 stalled: " + time(base, digest));

        // All uploads first: on a server whose threads the stalled bodies take, a POST after them would wait.
        List<URI> locations = new ArrayList<>();
        for (int i = 0; i < stalled; i++) {
            locations.add(start(base));
        }
        List<Socket> sockets = new ArrayList<>();
        for (URI location : locations) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PATCH " + location.getRawPath() + (location.getRawQuery() == null ? "" : "?" + location.getRawQuery())
                    + " HTTP/1.1\r\nHost: " + base.getAuthority() + "\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 10000000\r\n\r\nx").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            sockets.add(socket);
        }
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "drip");
            thread.setDaemon(true);
            return thread;
        });
        drip.scheduleAtFixedRate(() -> sockets.forEach(StalledBodies::oneByte), 2, 2, TimeUnit.SECONDS);
        Thread.sleep(3000);
        System.out.println(stalled + " stalled: " + time(base, digest));
        if (args.length > 2) {
            for (String line : Files.readAllLines(Path.of("/proc", args[2], "status"))) {
                if (line.startsWith("Threads") || line.startsWith("VmRSS")) {
                    System.out.println("server " + line.replaceAll("\\s+", " "));
                }
            }
        }
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private static URI start(URI base) throws IOException, InterruptedException {
        HttpResponse<String> started = HTTP.send(HttpRequest.newBuilder(base.resolve("/v2/" + REPOSITORY + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return base.resolve(started.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException("no Location")));
    }

    private static URI withDigest(URI location, String digest) {
        return URI.create(location + (location.getRawQuery() == null ? "?" : "&") + "digest=" + digest);
    }

    private static void oneByte(Socket socket) {
        try {
            socket.getOutputStream().write('x');
            socket.getOutputStream().flush();
        } catch (IOException e) {
            // dropped by the server
        }
    }

    private static String time(URI base, String digest) throws IOException, InterruptedException {
        int rounds = 50;
        long[] millis = new long[rounds];
        int timeouts = 0;
        int done = 0;
        for (; done < rounds && timeouts < 2; done++) {
            long started = System.nanoTime();
            try {
                HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(base.resolve("/v2/" + REPOSITORY + "/blobs/" + digest))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200 || response.body().length != 1024 * 1024) {
                    throw new IllegalStateException("GET answered " + response.statusCode());
                }
                millis[done] = (System.nanoTime() - started) / 1_000_000;
            } catch (HttpTimeoutException e) {
                timeouts++;
                millis[done] = 10_000;
            }
        }
        long[] sorted = Arrays.copyOf(millis, done);
        Arrays.sort(sorted);
        return String.format("blob GET 1 MiB x%d: p50 %d ms, max %d ms, timeouts (10 s) %d", done, sorted[done / 2], sorted[done - 1], timeouts);
    }
}
