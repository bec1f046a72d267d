package dev.berth.registry.distribution;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.RegistryProperties;
import dev.berth.registry.proxy.CachedManifests;
import dev.berth.registry.auth.Action;
import dev.berth.registry.repository.RepositoryService;
import dev.berth.registry.upload.UploadService;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code POST /v2/<name>/blobs/uploads/}: starts an upload, takes a whole blob in one request
 * ({@code ?digest=}), or mounts a blob from another repository ({@code ?mount=&from=}).
 */
@Component
class UploadsEndpoint implements V2Endpoint {

    private final UploadService uploads;
    private final RepositoryService repositories;
    private final V2Access access;
    private final long minChunkLength;
    private final V2Bodies bodies;
    private final CachedManifests proxied;

    UploadsEndpoint(UploadService uploads, RepositoryService repositories, V2Access access, RegistryProperties properties,
                    V2Bodies bodies, CachedManifests proxied) {
        this.uploads = uploads;
        this.proxied = proxied;
        this.bodies = bodies;
        this.repositories = repositories;
        this.access = access;
        this.minChunkLength = properties.uploads().minChunkLength().toBytes();
    }

    /**
     * A mount needs pull on its source; one the caller may not pull is treated as a blob that is
     * not there (a new upload), so it tells nothing about the source. Without {@code from} a blob
     * could come from any repository, so under access control there is no such mount.
     */
    private boolean mayMountFrom(V2Principal who, Optional<RepositoryName> source) {
        if (source.isEmpty()) {
            return who.unchecked();
        }
        return access.allows(who, source.get().value(), Action.PULL);
    }

    @Override
    public V2Route.Kind kind() {
        return V2Route.Kind.UPLOADS;
    }

    @Override
    public V2Methods methods() {
        // Only a whole blob in the POST (?digest= without ?mount=) has a body the handler reads.
        return V2Methods.of(new V2Method("POST", V2Need.PUSH,
                request -> request.param("digest") != null && request.param("mount") == null ? V2Method.Body.STREAMED : V2Method.Body.NONE,
                this::post));
    }

    private void post(V2Request request, HttpServletResponse response) throws IOException {
        RepositoryName name = request.name();
        proxied.refusePush(name);
        String mount = request.param("mount");
        if (mount != null) {
            Digest digest = Digest.of(mount);
            String from = request.param("from");
            Optional<RepositoryName> source = from == null || from.isEmpty() ? Optional.empty() : Optional.of(RepositoryName.of(from));
            if (mayMountFrom(request.principal(), source) && repositories.mount(name, digest, source)) {
                Responses.blobCreated(response, name, digest);
                return;
            }
            // Not mountable: answer as to a plain POST, so the client uploads the blob instead.
        }
        String digestParam = request.param("digest");
        if (digestParam != null && mount == null) {
            Digest digest = Digest.of(digestParam);
            bodies.stream(request, response, new UploadBody(uploads.putWhole(name, digest, request.contentLength()),
                    (answer, size) -> Responses.blobCreated(answer, name, digest)));
            return;
        }
        String id = uploads.start(name);
        if (minChunkLength > 0) {
            response.setHeader("OCI-Chunk-Min-Length", Long.toString(minChunkLength));
        }
        Responses.uploadAccepted(response, name, id, 0);
    }
}
