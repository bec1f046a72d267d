package dev.berth.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A registry front that demands authentication, in front of a real Berth: Basic, or Bearer tokens
 * from its own token endpoint ({@code /token}, which checks Basic credentials and hands out tokens
 * that expire). Authorized {@code GET}s are forwarded to Berth and streamed back.
 */
public final class AuthProxy implements AutoCloseable {

    public enum Mode { BASIC, BEARER }

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI upstream;
    private final Mode mode;
    private final String user;
    private final String password;
    private final long tokenSeconds;
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();

    public AuthProxy(URI upstream, Mode mode, String user, String password, long tokenSeconds) throws IOException {
        this.upstream = upstream;
        this.mode = mode;
        this.user = user;
        this.password = password;
        this.tokenSeconds = tokenSeconds;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::proxy);
        server.start();
    }

    /** The registry as an image reference names it: {@code 127.0.0.1:PORT}. */
    public String registry() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The {@code scope} of each token request so far. */
    public List<String> tokenRequests() {
        return tokenRequests;
    }

    private void token(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        tokenRequests.add(query == null ? "" : query);
        if (!validBasic(exchange)) {
            reply(exchange, 401, "{\"details\":\"bad credentials\"}");
            return;
        }
        String token = "tok-" + System.nanoTime();
        tokens.put(token, System.currentTimeMillis() + tokenSeconds * 1000);
        reply(exchange, 200, "{\"token\":\"" + token + "\",\"expires_in\":" + tokenSeconds + "}");
    }

    private void proxy(HttpExchange exchange) throws IOException {
        if (!authorized(exchange)) {
            String path = exchange.getRequestURI().getPath();
            String challenge = mode == Mode.BASIC ? "Basic realm=\"berth-test\""
                    : "Bearer realm=\"http://" + registry() + "/token\",service=\"berth-test\""
                    + (path.contains("/manifests/") || path.contains("/blobs/")
                    ? ",scope=\"repository:" + path.substring(4, path.lastIndexOf('/', path.lastIndexOf('/') - 1)) + ":pull\"" : "");
            exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
            reply(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            return;
        }
        HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString())).GET();
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null) {
            forward.header("Accept", accept);
        }
        try {
            HttpResponse<InputStream> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
            for (String h : List.of("Content-Type", "Docker-Content-Digest")) {
                response.headers().firstValue(h).ifPresent(v -> exchange.getResponseHeaders().add(h, v));
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(0);
            exchange.sendResponseHeaders(response.statusCode(), length == 0 ? -1 : length);
            try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (mode == Mode.BASIC) {
            return validBasic(exchange);
        }
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        Long expires = tokens.get(header.substring(7));
        return expires != null && expires > System.currentTimeMillis();
    }

    private boolean validBasic(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return expected.equals(header);
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
