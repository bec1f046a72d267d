package dev.berth.registry.ui;

import java.nio.charset.StandardCharsets;
import org.springframework.web.util.UriUtils;

/**
 * Every URL of the web UI, built in one place. Repository names hold {@code /}, so a page of a
 * repository lives at {@code /r/NAME/-/...}: a name component never is a lone {@code -}, so the
 * separator cannot be part of a name. Templates call these as {@code ${links.tag(name, tag)}}.
 */
public final class Links {

    static final Links INSTANCE = new Links();

    public String home() {
        return "/";
    }

    public String home(String query, String sort, int page) {
        return "/" + query(query, sort, page);
    }

    public String repository(String name) {
        return "/r/" + name;
    }

    public String repository(String name, String query, String sort, int page) {
        return repository(name) + query(query, sort, page);
    }

    public String tag(String name, String tag) {
        return repository(name) + "/-/tag/" + tag;
    }

    public String manifest(String name, String digest) {
        return repository(name) + "/-/manifest/" + digest;
    }

    public String layer(String name, String manifestDigest, int index) {
        return manifest(name, manifestDigest) + "/layer/" + index;
    }

    public String layer(String name, String manifestDigest, int index, String view, String dir) {
        StringBuilder url = new StringBuilder(layer(name, manifestDigest, index)).append("?view=").append(view);
        if (dir != null && !dir.isEmpty()) {
            url.append("&dir=").append(encode(dir));
        }
        return url.toString();
    }

    public String layer(String name, String manifestDigest, int index, String view, String dir, int page) {
        return layer(name, manifestDigest, index, view, dir) + (page > 1 ? "&page=" + page : "");
    }

    public String compare(String name) {
        return repository(name) + "/-/compare";
    }

    public String compare(String name, String a, String b) {
        return compare(name) + "?a=" + encode(a) + "&b=" + encode(b);
    }

    public String deleteTag(String name, String tag) {
        return tag(name, tag) + "/delete";
    }

    public String deleteManifest(String name, String digest) {
        return manifest(name, digest) + "/delete";
    }

    private static String query(String query, String sort, int page) {
        StringBuilder q = new StringBuilder();
        if (query != null && !query.isEmpty()) {
            q.append("&q=").append(encode(query));
        }
        if (sort != null && !sort.isEmpty()) {
            q.append("&sort=").append(encode(sort));
        }
        if (page > 1) {
            q.append("&page=").append(page);
        }
        return q.isEmpty() ? "" : "?" + q.substring(1);
    }

    private static String encode(String value) {
        return UriUtils.encodeQueryParam(value, StandardCharsets.UTF_8);
    }
}
