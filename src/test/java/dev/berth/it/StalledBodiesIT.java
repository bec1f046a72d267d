package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow clients against a real server over real sockets: 500 requests that announce a body and then
 * send a byte a second (PATCHes of uploads, PATCHes of an upload that does not exist, which are
 * refused before the body is read, and manifest PUTs). Each costs the server a connection, not one
 * of its 200 request threads, so a blob GET and a push still complete while they are open; they are
 * dropped once they fall below the minimum rate, and their uploads can be resumed and cancelled. A
 * body that stops altogether is dropped after the connection timeout, and a newer request for an
 * upload takes it over from a stalled one.
 */
class StalledBodiesIT {

    private static final int STALLED = 500;
    /** Far more than a GET or a small push takes on a loaded machine, far less than a wait for a stalled thread. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RATE_WINDOW = Duration.ofSeconds(30);

    private static BerthProcess berth;
    private static RegistryHttp registry;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        berth = BerthProcess.start("stalled", "-Xmx256m", "-Dberth.uploads.min-rate-window=" + RATE_WINDOW.toSeconds() + "s",
                "-Dserver.tomcat.connection-timeout=5s");
        registry = new RegistryHttp(berth);
    }

    @AfterAll
    static void stop() throws IOException {
        if (berth != null) {
            berth.close();
        }
    }

    @Test
    void fiveHundredTricklingBodiesCostConnectionsNotThreads() throws Exception {
        byte[] blob = SeededBytes.slice(new SeededBytes(1, 1 << 20), 1 << 20).readAllBytes();
        String digest = TestFiles.digest(blob);
        RegistryHttp.expect(registry.pushWhole("slow/app", digest, () -> new ByteArrayInputStream(blob), blob.length), 201);

        List<URI> uploads = new ArrayList<>();
        for (int i = 0; i < STALLED * 3 / 5; i++) {
            uploads.add(registry.startUpload("slow/app"));
        }
        List<Socket> stalled = new ArrayList<>();
        ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try {
            for (URI upload : uploads) {
                stalled.add(startTrickle("PATCH", upload.getRawPath(), 10_000_000));
            }
            for (int i = 0; i < STALLED / 5; i++) {
                stalled.add(startTrickle("PATCH", "/v2/slow/app/blobs/uploads/" + UUID.randomUUID(), 10_000_000));
                stalled.add(startTrickle("PUT", "/v2/slow/app/manifests/t" + i, 100_000));
            }
            assertThat(stalled).hasSize(STALLED);
            drip.scheduleAtFixedRate(() -> stalled.forEach(StalledBodiesIT::sendOneByte), 1, 1, TimeUnit.SECONDS);
            long opened = System.nanoTime();

            // All 500 bodies are open; the registry still answers, within a timeout no thread starvation would meet.
            RegistryHttp.Pulled pulled = CompletableFuture.supplyAsync(() -> pull("slow/app", digest)).get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(pulled.digest()).isEqualTo(digest);
            Pushed pushed = CompletableFuture.supplyAsync(this::pushInChunks).get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(registry.pull("slow/pushed", pushed.digest()).digest()).isEqualTo(pushed.digest());
            assertThat(System.nanoTime() - opened).as("measured while the trickles were all open").isLessThan(RATE_WINDOW.toNanos());
            for (Socket socket : stalled) {
                assertThat(socket.getInputStream().available()).as("a trickle answered before its window ended").isZero();
            }
            // The async requests were logged and counted when they ended.
            assertThat(berth.logContains("\"PATCH " + pushed.upload().getRawPath() + "\" 202 ")).as(berth.logTail()).isTrue();
            assertThat(metrics()).containsPattern("http_server_requests_seconds_count\\{[^}]*method=\"PATCH\"[^}]*status=\"202\"[^}]*"
                    + "uri=\"/v2/\\{name\\}/blobs/uploads/\\{uuid\\}\"");

            // Below the minimum rate over the window, each is dropped with an error, and its connection closed.
            for (Socket socket : stalled) {
                String answer = readAnswer(socket, RATE_WINDOW.plusSeconds(60));
                assertThat(answer).startsWith("HTTP/1.1 400").contains("BLOB_UPLOAD_INVALID").contains("arrived too slowly");
            }
        } finally {
            drip.shutdownNow();
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        // What they sent was taken back: the uploads are empty, can be resumed, and cancelled.
        URI first = uploads.get(0);
        assertThat(registry.uploadStatus(first).headers().firstValue("Range")).hasValue("0-0");
        RegistryHttp.expect(registry.patch(first, new ByteArrayInputStream(blob), 0, blob.length), 202);
        RegistryHttp.expect(registry.finish(first, digest), 201);
        HttpResponse<String> cancelled = http.send(HttpRequest.newBuilder(uploads.get(1)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cancelled.statusCode()).isEqualTo(204);
    }

    @Test
    void aBodyThatStopsIsDroppedAfterTheConnectionTimeoutAndItsUploadResumes() throws Exception {
        URI upload = registry.startUpload("slow/stopped");
        try (Socket socket = startTrickle("PATCH", upload.getRawPath(), 1000)) {
            String answer = readAnswer(socket, Duration.ofSeconds(60));
            assertThat(answer).startsWith("HTTP/1.1 400").contains("BLOB_UPLOAD_INVALID").contains("stopped sending");
        }
        assertThat(registry.uploadStatus(upload).headers().firstValue("Range")).hasValue("0-0");
        byte[] body = "resumed".getBytes(StandardCharsets.UTF_8);
        RegistryHttp.expect(registry.patch(upload, new ByteArrayInputStream(body), 0, body.length), 202);
        RegistryHttp.expect(registry.finish(upload, TestFiles.digest(body)), 201);
    }

    @Test
    void aNewerRequestForAnUploadTakesItOverFromAStalledOne() throws Exception {
        URI upload = registry.startUpload("slow/taken-over");
        try (Socket stalled = startTrickle("PATCH", upload.getRawPath(), 1000)) {
            Thread.sleep(500);
            assertThat(registry.uploadStatus(upload).headers().firstValue("Range")).as("while a request writes: what it held before")
                    .hasValue("0-0");
            byte[] body = "taken over".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> newer = CompletableFuture.supplyAsync(() -> patch(upload, body)).get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            RegistryHttp.expect(newer, 202);
            assertThat(newer.headers().firstValue("Range")).hasValue("0-" + (body.length - 1));
            sendOneByte(stalled);
            assertThat(readAnswer(stalled, Duration.ofSeconds(30))).startsWith("HTTP/1.1 400").contains("a newer request for the upload arrived");
            RegistryHttp.expect(registry.finish(upload, TestFiles.digest(body)), 201);
            assertThat(registry.pull("slow/taken-over", TestFiles.digest(body)).size()).isEqualTo(body.length);
        }
    }

    /** A request announcing a body of {@code length} bytes, of which only the first is sent. */
    private static Socket startTrickle(String method, String path, long length) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", berth.port()), 10_000);
        OutputStream out = socket.getOutputStream();
        String type = method.equals("PUT") ? "application/vnd.oci.image.manifest.v1+json" : "application/octet-stream";
        out.write((method + " " + path + " HTTP/1.1\r\nHost: " + berth.hostPort() + "\r\n"
                + "Content-Type: " + type + "\r\nContent-Length: " + length + "\r\n\r\nx").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return socket;
    }

    private static void sendOneByte(Socket socket) {
        try {
            socket.getOutputStream().write('x');
            socket.getOutputStream().flush();
        } catch (IOException e) {
            // dropped by the server: nothing more to send
        }
    }

    /** The status line and body of the server's answer on {@code socket}, read until it closes. */
    private static String readAnswer(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer on a stalled body within " + timeout + "\n" + berth.logTail(), e);
        }
    }

    private static HttpResponse<String> patch(URI upload, byte[] body) {
        try {
            return registry.patch(upload, new ByteArrayInputStream(body), 0, body.length);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private RegistryHttp.Pulled pull(String repository, String digest) {
        try {
            return registry.pull(repository, digest);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A blob pushed in chunks, and where. */
    private record Pushed(String digest, URI upload) {
    }

    /** POST, two PATCHes, the closing PUT: the push path real clients take. */
    private Pushed pushInChunks() {
        try {
            byte[] content = SeededBytes.slice(new SeededBytes(2, 300_000), 300_000).readAllBytes();
            URI location = registry.startUpload("slow/pushed");
            HttpResponse<String> first = registry.patch(location, new ByteArrayInputStream(content, 0, 100_000), 0, 100_000);
            RegistryHttp.expect(first, 202);
            HttpResponse<String> second = registry.patch(RegistryHttp.location(first), new ByteArrayInputStream(content, 100_000, 200_000),
                    100_000, 200_000);
            RegistryHttp.expect(second, 202);
            String digest = TestFiles.digest(content);
            RegistryHttp.expect(registry.finish(RegistryHttp.location(second), digest), 201);
            return new Pushed(digest, location);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private String metrics() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(berth.uri("/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
