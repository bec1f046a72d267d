package dev.berth.client;

import dev.berth.oci.Digest;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT /v2/<name>/manifests/<tag|digest>} with the manifest's exact bytes and its media type.
 * The registry must keep the bytes as they are: a {@code Docker-Content-Digest} that names another
 * digest is refused.
 */
final class ManifestPusher implements RegistryEndpoint<Digest> {

    private final String registry;
    private final RepositoryName repository;
    private final ManifestReference reference;
    private final MediaType mediaType;
    private final byte[] bytes;
    private final Digest digest;

    ManifestPusher(String registry, RepositoryName repository, ManifestReference reference, MediaType mediaType, byte[] bytes) {
        this.registry = registry;
        this.repository = repository;
        this.reference = reference;
        this.mediaType = mediaType;
        this.bytes = bytes.clone();
        this.digest = Digest.sha256(bytes);
    }

    @Override
    public String method() {
        return "PUT";
    }

    @Override
    public String path() {
        return repository + "/manifests/" + reference;
    }

    @Override
    public HttpRequest.BodyPublisher body() {
        return HttpRequest.BodyPublishers.ofByteArray(bytes);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Content-Type", mediaType.value());
    }

    @Override
    public List<MediaType> accept() {
        return List.of();
    }

    @Override
    public String scope() {
        return "repository:" + repository + ":pull,push";
    }

    @Override
    public String description() {
        return "push manifest " + registry + "/" + repository + (reference instanceof ManifestReference.ByDigest ? "@" : ":") + reference;
    }

    @Override
    public OciErrorCode notFound() {
        return OciErrorCode.NAME_UNKNOWN;
    }

    @Override
    public Digest handle(HttpResponse<InputStream> response) {
        String stored = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (stored != null && Digest.looksLikeDigest(stored) && !stored.equals(digest.toString())) {
            throw new OciException(OciErrorCode.DIGEST_INVALID, description() + ": the registry stored the manifest as "
                    + stored + ", not as the " + digest + " of the bytes sent");
        }
        return digest;
    }
}
