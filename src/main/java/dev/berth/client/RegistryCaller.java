package dev.berth.client;

import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@link RegistryEndpoint}s against one registry. Owns, once for all endpoints: the scheme,
 * the auth dance (anonymous first; on 401 Basic with the credentials, or a Bearer token for the
 * challenge's realm and the endpoint's scope, reused while valid), redirects (credentials are not
 * sent to another host), and turning failures into {@link OciException}s.
 */
final class RegistryCaller {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final String registry;
    private final URI base;
    private final Optional<Credentials> credentials;
    private final BearerTokens tokens;
    private volatile AuthChallenge challenge;

    RegistryCaller(HttpClient http, String registry, URI base, Optional<Credentials> credentials, BearerTokens tokens) {
        this.http = http;
        this.registry = registry;
        this.base = base;
        this.credentials = credentials;
        this.tokens = tokens;
    }

    <T> T call(RegistryEndpoint<T> endpoint) {
        HttpResponse<InputStream> response = send(endpoint, authorization(endpoint.scope()));
        if (response.statusCode() == 401) {
            String header = response.headers().firstValue("WWW-Authenticate").orElse(null);
            discard(response);
            AuthChallenge parsed = AuthChallenge.parse(header).orElseThrow(() -> new OciException(OciErrorCode.UNAUTHORIZED,
                    endpoint.description() + ": authentication required, but the registry sent no challenge"));
            if (parsed.isBasic() && credentials.isEmpty()) {
                throw new OciException(OciErrorCode.UNAUTHORIZED, endpoint.description()
                        + ": authentication required; log in to " + registry + " first");
            }
            if (!parsed.isBasic() && !parsed.isBearer()) {
                throw new OciException(OciErrorCode.UNAUTHORIZED, endpoint.description()
                        + ": unsupported authentication scheme " + parsed.scheme());
            }
            challenge = parsed;
            tokens.invalidate();
            response = send(endpoint, authorization(endpoint.scope()));
        }
        try (InputStream body = response.body()) {
            if (!endpoint.succeeded(response.statusCode())) {
                throw failure(endpoint, response, body);
            }
            return endpoint.handle(response);
        } catch (IOException e) {
            throw new OciException(OciErrorCode.UNAVAILABLE, endpoint.description() + ": connection to " + registry
                    + " failed: " + e.getMessage());
        }
    }

    private String authorization(String scope) {
        AuthChallenge known = challenge;
        if (known == null) {
            return null;
        }
        if (known.isBasic()) {
            return credentials.map(Credentials::basicHeader).orElse(null);
        }
        return "Bearer " + tokens.token(known, scope, credentials);
    }

    private HttpResponse<InputStream> send(RegistryEndpoint<?> endpoint, String authorization) {
        URI uri = endpoint.uri(base);
        String accept = endpoint.accept().stream().map(MediaType::value).collect(Collectors.joining(", "));
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(endpoint.method(), endpoint.body())
                    .timeout(endpoint.timeout());
            endpoint.headers().forEach(request::header);
            if (!accept.isEmpty()) {
                request.header("Accept", accept);
            }
            if (authorization != null && sameOrigin(uri)) {
                request.header("Authorization", authorization);
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new OciException(OciErrorCode.UNAVAILABLE, endpoint.description() + ": cannot reach registry "
                        + registry + " at " + base + " (" + describe(e) + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OciException(OciErrorCode.UNAVAILABLE, endpoint.description() + ": interrupted");
            }
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if ((status == 301 || status == 302 || status == 303 || status == 307 || status == 308) && location.isPresent()) {
                discard(response);
                if (redirects == MAX_REDIRECTS) {
                    throw new OciException(OciErrorCode.UNAVAILABLE, endpoint.description() + ": too many redirects");
                }
                uri = uri.resolve(location.get());
                continue;
            }
            return response;
        }
    }

    private boolean sameOrigin(URI uri) {
        return uri.getScheme().equals(base.getScheme()) && uri.getAuthority().equals(base.getAuthority());
    }

    private OciException failure(RegistryEndpoint<?> endpoint, HttpResponse<InputStream> response, InputStream body) throws IOException {
        int status = response.statusCode();
        byte[] bytes = body.readNBytes(MAX_ERROR_BODY);
        OciErrorCode code = null;
        String message = null;
        try {
            JsonNode first = JSON.readTree(bytes).path("errors").path(0);
            if (first.isObject()) {
                code = codeOf(first.path("code").asString(""));
                message = first.path("message").asString(null);
            }
        } catch (JacksonException notJson) {
            // Some registries and proxies answer errors in HTML or plain text: the status tells enough.
        }
        if (code == null) {
            code = switch (status) {
                case 401 -> OciErrorCode.UNAUTHORIZED;
                case 403 -> OciErrorCode.DENIED;
                case 404 -> endpoint.notFound();
                case 429 -> OciErrorCode.TOOMANYREQUESTS;
                default -> status >= 500 ? OciErrorCode.UNAVAILABLE : OciErrorCode.UNKNOWN;
            };
        }
        String detail = message == null || message.isBlank() ? code.message() : message;
        if (status == 401) {
            detail += credentials.isPresent() ? " (the registry refused the credentials for " + registry + ")"
                    : " (log in to " + registry + " first)";
        }
        return new RegistryRefusal(code, endpoint.description() + ": " + detail + " (HTTP " + status + ")", status,
                response.headers().firstValue("Retry-After"));
    }

    private static OciErrorCode codeOf(String wire) {
        for (OciErrorCode c : OciErrorCode.values()) {
            if (c.wireCode().equals(wire) && c.name().equals(wire)) {
                return c;
            }
        }
        return null;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static void discard(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            body.skip(MAX_ERROR_BODY);
        } catch (IOException ignored) {
            // The connection is dropped instead of reused; nothing else to do.
        }
    }
}
