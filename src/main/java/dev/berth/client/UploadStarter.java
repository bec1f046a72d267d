package dev.berth.client;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v2/<name>/blobs/uploads/}, or with {@code ?mount=<digest>&from=<other>} a cross-repository
 * mount: 201 means mounted, 202 a session to upload to (a registry that cannot or will not mount
 * answers so, and the upload then goes to that session).
 */
final class UploadStarter implements RegistryEndpoint<UploadStart> {

    private final String registry;
    private final RepositoryName repository;
    private final Digest digest;
    private final Optional<RepositoryName> mountFrom;

    UploadStarter(String registry, RepositoryName repository, Digest digest, Optional<RepositoryName> mountFrom) {
        this.registry = registry;
        this.repository = repository;
        this.digest = digest;
        this.mountFrom = mountFrom;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String path() {
        return repository + "/blobs/uploads/" + mountFrom.map(from -> "?mount=" + encode(digest.toString())
                + "&from=" + encode(from.value())).orElse("");
    }

    @Override
    public List<MediaType> accept() {
        return List.of();
    }

    @Override
    public String scope() {
        String push = "repository:" + repository + ":pull,push";
        // distribution wants pull on the source of a mount in the same token.
        return mountFrom.map(from -> push + " repository:" + from + ":pull").orElse(push);
    }

    @Override
    public String description() {
        return (mountFrom.isPresent() ? "mount blob " + digest + " from " + mountFrom.get() + " into " : "start an upload of "
                + digest + " to ") + registry + "/" + repository;
    }

    @Override
    public OciErrorCode notFound() {
        return OciErrorCode.NAME_UNKNOWN;
    }

    @Override
    public UploadStart handle(HttpResponse<InputStream> response) {
        int status = response.statusCode();
        URI location = response.headers().firstValue("Location").map(l -> response.uri().resolve(l)).orElse(null);
        if (status == 201 && mountFrom.isPresent()) {
            return UploadStart.wasMounted(location);
        }
        if (status != 202 || location == null) {
            throw new OciException(OciErrorCode.UNKNOWN, description() + ": the registry answered " + status
                    + (location == null ? " without a Location" : "") + " instead of 202 and an upload location");
        }
        return UploadStart.session(location);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
