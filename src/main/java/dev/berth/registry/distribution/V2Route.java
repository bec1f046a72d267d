package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.util.UriUtils;

/**
 * Where a {@code /v2} request goes. Repository names contain {@code /}, so the resource is found
 * from the end of the path, and the name is whatever precedes it, checked against the grammar.
 *
 * @param kind     the resource
 * @param name     the repository, null for the base and the catalog
 * @param argument the digest, reference or upload id that follows the resource, if any
 */
record V2Route(Kind kind, RepositoryName name, String argument) {

    enum Kind {
        BASE("/v2/"),
        CATALOG("/v2/_catalog"),
        UPLOADS("/v2/{name}/blobs/uploads/"),
        UPLOAD("/v2/{name}/blobs/uploads/{uuid}"),
        BLOB("/v2/{name}/blobs/{digest}"),
        MANIFEST("/v2/{name}/manifests/{reference}"),
        TAGS("/v2/{name}/tags/list"),
        REFERRERS("/v2/{name}/referrers/{digest}");

        private final String pattern;

        Kind(String pattern) {
            this.pattern = pattern;
        }

        /** The route as a URI template: the tag metrics are grouped by. */
        String pattern() {
            return pattern;
        }
    }

    private static final Pattern UPLOADS = Pattern.compile("/(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("/(.+)/blobs/uploads/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("/(.+)/blobs/([^/]+)");
    private static final Pattern MANIFEST = Pattern.compile("/(.+)/manifests/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("/(.+)/tags/list");
    private static final Pattern REFERRERS = Pattern.compile("/(.+)/referrers/([^/]+)");

    /**
     * Routes a request by its path exactly as the client sent it: percent-decoded, never
     * normalized. The servlet container's path has {@code //} merged and {@code .} and {@code ..}
     * segments resolved, which let {@code a//b} and {@code a/../b} reach repositories {@code a/b}
     * and {@code b}; here they stay what they are, names outside the grammar.
     *
     * @param rawPath the request URI without the context path, e.g. {@code /v2/team/app/tags/list}
     */
    static V2Route fromRawPath(String rawPath) {
        String path = decode(rawPath);
        if (!path.equals("/v2") && !path.startsWith("/v2/")) {
            throw new OciException(OciErrorCode.NOT_FOUND, "no such endpoint: " + shorten(path));
        }
        return parse(path.substring(3));
    }

    /** Percent-decodes a path as UTF-8; a {@code +} stays a {@code +} (it means a space only in a form). */
    static String decode(String raw) {
        try {
            return UriUtils.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new OciException(OciErrorCode.NAME_INVALID, "malformed %-escape in the request path");
        }
    }

    private static String shorten(String path) {
        return path.length() > 200 ? path.substring(0, 200) : path;
    }

    /**
     * @param path the decoded path below {@code /v2}, e.g. {@code /team/app/manifests/latest}
     */
    static V2Route parse(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return new V2Route(Kind.BASE, null, null);
        }
        if (path.equals("/_catalog")) {
            return new V2Route(Kind.CATALOG, null, null);
        }
        Matcher m;
        if ((m = UPLOADS.matcher(path)).matches()) {
            return new V2Route(Kind.UPLOADS, RepositoryName.of(m.group(1)), null);
        }
        if ((m = UPLOAD.matcher(path)).matches()) {
            return new V2Route(Kind.UPLOAD, RepositoryName.of(m.group(1)), m.group(2));
        }
        if ((m = BLOB.matcher(path)).matches()) {
            return new V2Route(Kind.BLOB, RepositoryName.of(m.group(1)), m.group(2));
        }
        if ((m = MANIFEST.matcher(path)).matches()) {
            return new V2Route(Kind.MANIFEST, RepositoryName.of(m.group(1)), m.group(2));
        }
        if ((m = TAGS.matcher(path)).matches()) {
            return new V2Route(Kind.TAGS, RepositoryName.of(m.group(1)), null);
        }
        if ((m = REFERRERS.matcher(path)).matches()) {
            return new V2Route(Kind.REFERRERS, RepositoryName.of(m.group(1)), m.group(2));
        }
        throw new OciException(OciErrorCode.NOT_FOUND, "no such endpoint: /v2" + shorten(path));
    }
}
