package dev.berth.registry.ui;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser, for real-HTTP tests of the UI: keeps cookies (the session), reads
 * the CSRF token from a page's form, and posts forms from the registry's own origin.
 */
public final class UiSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .cookieHandler(new CookieManager()).build();
    private final Function<String, URI> uri;
    private final String origin;

    public UiSession(Function<String, URI> uri) {
        this.uri = uri;
        URI base = uri.apply("/");
        this.origin = base.getScheme() + "://" + base.getAuthority();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri.apply(path)).header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The CSRF token of the first form on a page. */
    String csrf(String page) throws IOException, InterruptedException {
        Matcher m = CSRF.matcher(get(page).body());
        if (!m.find()) {
            throw new AssertionError("no CSRF field on " + page);
        }
        return m.group(1);
    }

    /** Posts a form with the CSRF token taken from {@code page}, as that page would. */
    public HttpResponse<String> submit(String page, String action, Map<String, String> fields) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", csrf(page));
        return post(action, all);
    }

    HttpResponse<String> post(String action, Map<String, String> fields) throws IOException, InterruptedException {
        String body = fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(uri.apply(action)).header("Origin", origin)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in through the login form; returns where the server sent the browser next. */
    public String signIn(String username, String password) throws IOException, InterruptedException {
        return location(submit("/login", "/login", Map.of("username", username, "password", password)));
    }

    /** A redirect's target, as a path when it is on this registry (Tomcat may send it absolute). */
    public String location(HttpResponse<String> r) {
        String l = r.headers().firstValue("Location").orElse("(none: " + r.statusCode() + ")");
        return l.startsWith(origin + "/") ? l.substring(origin.length()) : l;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
