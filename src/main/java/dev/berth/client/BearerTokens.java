package dev.berth.client;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bearer tokens from a token server (the challenge's {@code realm}), per service and scope, reused
 * until they expire. A token without {@code expires_in} lives 60 seconds, as the token spec says.
 */
final class BearerTokens {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    private static final Duration MARGIN = Duration.ofSeconds(5);
    private static final int MAX_RESPONSE = 1 << 20;

    private record Token(String value, Instant expiresAt) {
    }

    private final HttpClient http;
    private final Clock clock;
    private final Map<String, Token> cache = new ConcurrentHashMap<>();

    BearerTokens(HttpClient http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    /** A token for the scope: the cached one while it is valid, else a new one from the realm. */
    String token(AuthChallenge challenge, String scope, Optional<Credentials> credentials) {
        String realm = challenge.param("realm");
        if (realm == null || realm.isEmpty()) {
            throw new OciException(OciErrorCode.UNAUTHORIZED, "the registry's Bearer challenge names no realm");
        }
        String service = challenge.param("service");
        String key = realm + " " + service + " " + scope + " " + credentials.map(Credentials::username).orElse("");
        Token cached = cache.get(key);
        if (cached != null && clock.instant().isBefore(cached.expiresAt)) {
            return cached.value;
        }
        Token fresh = fetch(realm, service, scope, credentials);
        cache.put(key, fresh);
        return fresh.value;
    }

    /** Forgets every token, e.g. after the registry refused one. */
    void invalidate() {
        cache.clear();
    }

    private Token fetch(String realm, String service, String scope, Optional<Credentials> credentials) {
        StringBuilder query = new StringBuilder();
        if (service != null) {
            query.append("service=").append(URLEncoder.encode(service, StandardCharsets.UTF_8));
        }
        if (scope != null) {
            // A push that mounts needs two scopes; each goes as a scope parameter of its own, as docker sends them.
            for (String one : scope.split(" ")) {
                query.append(query.length() == 0 ? "" : "&").append("scope=").append(URLEncoder.encode(one, StandardCharsets.UTF_8));
            }
        }
        URI uri = URI.create(realm + (query.length() == 0 ? "" : (realm.contains("?") ? "&" : "?") + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        credentials.ifPresent(c -> request.header("Authorization", c.basicHeader()));
        Instant asked = clock.instant();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new OciException(OciErrorCode.UNAVAILABLE, "cannot reach the token server " + uri.getHost() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OciException(OciErrorCode.UNAVAILABLE, "interrupted while asking for a token");
        }
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(MAX_RESPONSE);
            int status = response.statusCode();
            if (status == 401 || status == 403) {
                throw new OciException(OciErrorCode.UNAUTHORIZED, "the token server " + uri.getHost() + " refused "
                        + (credentials.isPresent() ? "the credentials of " + credentials.get().username() : "anonymous access")
                        + (scope == null ? "" : " for " + scope));
            }
            if (status != 200) {
                throw new OciException(OciErrorCode.UNAVAILABLE, "the token server " + uri.getHost() + " answered " + status);
            }
            JsonNode json = JSON.readTree(bytes);
            String token = json.path("token").asString("");
            if (token.isEmpty()) {
                token = json.path("access_token").asString("");
            }
            if (token.isEmpty()) {
                throw new OciException(OciErrorCode.UNAUTHORIZED, "the token server " + uri.getHost() + " sent no token");
            }
            long seconds = json.path("expires_in").asLong(0);
            Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
            Duration margin = lifetime.compareTo(MARGIN.multipliedBy(2)) > 0 ? MARGIN : Duration.ZERO;
            return new Token(token, asked.plus(lifetime).minus(margin));
        } catch (IOException | JacksonException e) {
            throw new OciException(OciErrorCode.UNAUTHORIZED, "unreadable answer from the token server " + uri.getHost() + ": " + e.getMessage());
        }
    }
}
