package dev.berth.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real CNCF distribution ({@code docker-registry serve}, Debian's package docker-registry) on a
 * free port of 127.0.0.1, its storage and config in a directory of the test's: the reference
 * registry that Berth's client must work with as it works with Berth.
 */
final class Distribution implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private Distribution(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Started and answering {@code /v2/}, or the test is skipped (failed on CI) when it is not installed. */
    static Distribution start(Path dir) throws IOException, InterruptedException {
        String binary = Tools.require("docker-registry", "docker-registry");
        Files.createDirectories(dir);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("data"), port));
        Path log = dir.resolve("registry.log");
        Process process = new ProcessBuilder(binary, "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Distribution registry = new Distribution(process, port, log);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create("http://" + registry.hostPort() + "/v2/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return registry;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        registry.close();
        throw new IllegalStateException("docker-registry did not answer /v2/ within 60 s:\n" + Files.readString(log));
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Where distribution keeps its content (its filesystem driver's root directory). */
    Path storage() {
        return log.getParent().resolve("data");
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
