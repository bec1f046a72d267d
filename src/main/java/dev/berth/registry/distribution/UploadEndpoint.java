package dev.berth.registry.distribution;

import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.upload.ContentRange;
import dev.berth.registry.upload.UploadService;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;

/**
 * {@code GET|PATCH|PUT|DELETE /v2/<name>/blobs/uploads/<uuid>}: status, a chunk or a stream,
 * the closing PUT (with or without a last chunk), and cancel.
 */
@Component
class UploadEndpoint implements V2Endpoint {

    private final UploadService uploads;
    private final V2Bodies bodies;

    UploadEndpoint(UploadService uploads, V2Bodies bodies) {
        this.uploads = uploads;
        this.bodies = bodies;
    }

    @Override
    public V2Route.Kind kind() {
        return V2Route.Kind.UPLOAD;
    }

    @Override
    public V2Methods methods() {
        // Every method on an upload needs push, its status and cancel too: the upload is the pusher's.
        return V2Methods.of(
                V2Method.of("GET", V2Need.PUSH, this::status),
                V2Method.streaming("PATCH", V2Need.PUSH, this::append),
                V2Method.streaming("PUT", V2Need.PUSH, this::complete),
                V2Method.of("DELETE", V2Need.PUSH, this::cancel));
    }

    private void status(V2Request request, HttpServletResponse response) throws IOException {
        RepositoryName name = request.name();
        String id = request.argument();
        long size = uploads.status(name, id);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        Responses.uploadHeaders(response, name, id, size);
    }

    private void append(V2Request request, HttpServletResponse response) throws IOException {
        RepositoryName name = request.name();
        String id = request.argument();
        ContentRange range = ContentRange.parse(request.header("Content-Range"));
        bodies.stream(request, response, new UploadBody(uploads.append(name, id, request.contentLength(), range),
                (answer, size) -> Responses.uploadAccepted(answer, name, id, size)));
    }

    private void complete(V2Request request, HttpServletResponse response) throws IOException {
        RepositoryName name = request.name();
        String id = request.argument();
        String digestParam = request.param("digest");
        if (digestParam == null) {
            throw new OciException(OciErrorCode.DIGEST_INVALID, "the closing PUT needs ?digest=");
        }
        Digest digest = Digest.of(digestParam);
        ContentRange range = ContentRange.parse(request.header("Content-Range"));
        long length = request.hasBody() ? request.contentLength() : 0;
        bodies.stream(request, response, new UploadBody(uploads.complete(name, id, digest, length, range),
                (answer, size) -> Responses.blobCreated(answer, name, digest)));
    }

    private void cancel(V2Request request, HttpServletResponse response) throws IOException {
        uploads.cancel(request.name(), request.argument());
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }
}
