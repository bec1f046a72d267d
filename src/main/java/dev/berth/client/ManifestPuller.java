package dev.berth.client;

import dev.berth.oci.Digest;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.ManifestParser;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.ParsedManifest;
import dev.berth.oci.RepositoryName;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * {@code GET /v2/<name>/manifests/<reference>} for OCI and Docker manifests and indexes. The bytes
 * are checked against the digest asked for, or else against {@code Docker-Content-Digest}.
 */
final class ManifestPuller implements RegistryEndpoint<PulledManifest> {

    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    static final List<MediaType> ACCEPT = List.of(MediaType.OCI_INDEX, MediaType.OCI_MANIFEST,
            MediaType.DOCKER_MANIFEST_LIST, MediaType.DOCKER_MANIFEST);

    private final String registry;
    private final RepositoryName repository;
    private final ManifestReference reference;

    ManifestPuller(String registry, RepositoryName repository, ManifestReference reference) {
        this.registry = registry;
        this.repository = repository;
        this.reference = reference;
    }

    @Override
    public String path() {
        return repository + "/manifests/" + reference;
    }

    @Override
    public List<MediaType> accept() {
        return ACCEPT;
    }

    @Override
    public String scope() {
        return "repository:" + repository + ":pull";
    }

    @Override
    public String description() {
        return "pull manifest " + registry + "/" + repository + (reference instanceof ManifestReference.ByDigest ? "@" : ":") + reference;
    }

    @Override
    public OciErrorCode notFound() {
        return OciErrorCode.MANIFEST_UNKNOWN;
    }

    @Override
    public PulledManifest handle(HttpResponse<InputStream> response) throws IOException {
        byte[] bytes = response.body().readNBytes(MAX_MANIFEST_BYTES + 1);
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new OciException(OciErrorCode.MANIFEST_TOO_LARGE, description() + ": larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        Digest expected = reference instanceof ManifestReference.ByDigest d ? d.digest()
                : response.headers().firstValue("Docker-Content-Digest").filter(Digest::looksLikeDigest).map(Digest::of).orElse(null);
        Digest.Algorithm algorithm = expected == null ? Digest.Algorithm.SHA256 : expected.algorithm();
        Digest actual = Digest.fromHash(algorithm, algorithm.newMessageDigest().digest(bytes));
        if (expected != null && !expected.equals(actual)) {
            throw new OciException(OciErrorCode.DIGEST_INVALID, description() + ": the registry sent content with digest "
                    + actual + " instead of " + expected);
        }
        MediaType contentType = response.headers().firstValue("Content-Type").map(MediaType::parse)
                .filter(MediaType::isManifestOrIndex).orElse(null);
        ParsedManifest parsed = ManifestParser.parse(bytes, contentType);
        return new PulledManifest(bytes, parsed.mediaType(), actual, parsed);
    }
}
