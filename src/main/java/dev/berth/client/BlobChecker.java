package dev.berth.client;

import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.RepositoryName;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;

/** {@code HEAD /v2/<name>/blobs/<digest>}: is the blob in the repository already (200) or not (404). */
final class BlobChecker implements RegistryEndpoint<Boolean> {

    private final String registry;
    private final RepositoryName repository;
    private final Digest digest;

    BlobChecker(String registry, RepositoryName repository, Digest digest) {
        this.registry = registry;
        this.repository = repository;
        this.digest = digest;
    }

    @Override
    public String method() {
        return "HEAD";
    }

    @Override
    public String path() {
        return repository + "/blobs/" + digest;
    }

    @Override
    public List<MediaType> accept() {
        return List.of();
    }

    @Override
    public String scope() {
        // Asked for before a push, so the token is the push's: one token for the whole blob's way.
        return "repository:" + repository + ":pull,push";
    }

    @Override
    public String description() {
        return "check blob " + digest + " in " + registry + "/" + repository;
    }

    @Override
    public OciErrorCode notFound() {
        return OciErrorCode.BLOB_UNKNOWN;
    }

    @Override
    public boolean succeeded(int status) {
        return status == 200 || status == 404;
    }

    @Override
    public Boolean handle(HttpResponse<InputStream> response) {
        return response.statusCode() == 200;
    }
}
