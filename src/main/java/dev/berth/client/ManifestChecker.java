package dev.berth.client;

import dev.berth.oci.Digest;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * {@code HEAD /v2/<name>/manifests/<reference>}: what a tag points at now, without its bytes (Docker
 * Hub does not count a HEAD against its pull limit). A registry that answers without
 * {@code Docker-Content-Digest} gets a GET instead from the caller.
 */
final class ManifestChecker implements RegistryEndpoint<ManifestHead> {

    private final String registry;
    private final RepositoryName repository;
    private final ManifestReference reference;

    ManifestChecker(String registry, RepositoryName repository, ManifestReference reference) {
        this.registry = registry;
        this.repository = repository;
        this.reference = reference;
    }

    @Override
    public String method() {
        return "HEAD";
    }

    @Override
    public String path() {
        return repository + "/manifests/" + reference;
    }

    @Override
    public List<MediaType> accept() {
        return ManifestPuller.ACCEPT;
    }

    @Override
    public String scope() {
        return "repository:" + repository + ":pull";
    }

    @Override
    public String description() {
        return "check manifest " + registry + "/" + repository + (reference instanceof ManifestReference.ByDigest ? "@" : ":") + reference;
    }

    @Override
    public OciErrorCode notFound() {
        return OciErrorCode.MANIFEST_UNKNOWN;
    }

    @Override
    public Duration timeout() {
        return Duration.ofSeconds(30);
    }

    @Override
    public ManifestHead handle(HttpResponse<InputStream> response) {
        Digest digest = response.headers().firstValue("Docker-Content-Digest").filter(Digest::looksLikeDigest).map(Digest::of)
                .orElseThrow(() -> new OciException(OciErrorCode.UNKNOWN, description() + ": the registry sent no Docker-Content-Digest"));
        if (reference instanceof ManifestReference.ByDigest d && !d.digest().equals(digest)) {
            throw new OciException(OciErrorCode.DIGEST_INVALID, description() + ": the registry answered for " + digest);
        }
        MediaType mediaType = response.headers().firstValue("Content-Type").map(MediaType::parse)
                .filter(MediaType::isManifestOrIndex).orElse(null);
        long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new ManifestHead(digest, mediaType, size);
    }
}
