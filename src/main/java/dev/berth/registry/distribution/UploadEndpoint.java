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

    UploadEndpoint(UploadService uploads) {
        this.uploads = uploads;
    }

    @Override
    public V2Route.Kind kind() {
        return V2Route.Kind.UPLOAD;
    }

    @Override
    public void handle(V2Request request, HttpServletResponse response) throws IOException {
        RepositoryName name = request.name();
        String id = request.argument();
        switch (request.method()) {
            case "GET" -> {
                long size = uploads.status(name, id);
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
                Responses.uploadHeaders(response, name, id, size);
            }
            case "PATCH" -> {
                ContentRange range = ContentRange.parse(request.header("Content-Range"));
                long size = uploads.append(name, id, request.body(), request.contentLength(), range);
                Responses.uploadAccepted(response, name, id, size);
            }
            case "PUT" -> {
                String digestParam = request.param("digest");
                if (digestParam == null) {
                    throw new OciException(OciErrorCode.DIGEST_INVALID, "the closing PUT needs ?digest=");
                }
                Digest digest = Digest.of(digestParam);
                ContentRange range = ContentRange.parse(request.header("Content-Range"));
                long length = request.hasBody() ? request.contentLength() : 0;
                uploads.complete(name, id, digest, request.body(), length, range);
                Responses.blobCreated(response, name, digest);
            }
            case "DELETE" -> {
                uploads.cancel(name, id);
                response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            }
            default -> throw request.methodNotAllowed();
        }
    }
}
