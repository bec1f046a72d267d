package dev.berth.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Debian's nginx as a round-robin load balancer in front of several servers, configured as
 * operators put one in front of registry replicas: no request or response buffering, no body
 * size limit, HTTP/1.1 to the servers and the client's Host passed on (Location headers and
 * token realms name it). Its own prefix, pid file and logs under {@code dir}.
 */
final class Nginx implements AutoCloseable {

    private final String binary;
    private final Path dir;
    private final int port;

    private Nginx(String binary, Path dir, int port) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
    }

    static Nginx roundRobin(Path dir, List<String> servers) throws IOException {
        String binary = Tools.require("nginx", "nginx-light");
        Files.createDirectories(dir.resolve("logs"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String upstream = servers.stream().map(s -> "    server " + s + " max_fails=0;").collect(Collectors.joining("\n"));
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log;
                worker_processes 1;
                events { worker_connections 256; }
                http {
                  log_format replica '$request_method $uri $status $upstream_addr';
                  access_log %1$s/logs/access.log replica;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  upstream replicas {
                %2$s
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    client_max_body_size 0;
                    location / {
                      proxy_pass http://replicas;
                      proxy_http_version 1.1;
                      proxy_set_header Host $http_host;
                      proxy_set_header Connection "";
                      proxy_request_buffering off;
                      proxy_buffering off;
                      proxy_read_timeout 300s;
                    }
                  }
                }
                """.formatted(dir.toAbsolutePath(), upstream, port), StandardCharsets.UTF_8);
        Nginx nginx = new Nginx(binary, dir, port);
        nginx.start();
        return nginx;
    }

    private void start() throws IOException {
        new ProcessBuilder(binary, "-p", dir.toAbsolutePath().toString(), "-c", dir.resolve("nginx.conf").toAbsolutePath().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                sleep();
            }
        }
        throw new IllegalStateException("nginx did not listen on " + port + ": " + Files.readString(dir.resolve("logs/error.log")));
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** One line per request, in order: method, path, status and the server it went to. */
    List<String> upstreamsUsed() throws IOException {
        return Files.readAllLines(dir.resolve("logs/access.log"));
    }

    @Override
    public void close() throws IOException {
        Path pid = dir.resolve("nginx.pid");
        if (Files.exists(pid)) {
            long id = Long.parseLong(Files.readString(pid).trim());
            ProcessHandle.of(id).ifPresent(ProcessHandle::destroy);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
