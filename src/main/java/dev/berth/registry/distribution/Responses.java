package dev.berth.registry.distribution;

import dev.berth.oci.Digest;
import dev.berth.oci.RepositoryName;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import tools.jackson.databind.json.JsonMapper;

/** Headers and bodies several endpoints write the same way. */
final class Responses {

    private Responses() {
    }

    static String uploadLocation(RepositoryName name, String uploadId) {
        return "/v2/" + name + "/blobs/uploads/" + uploadId;
    }

    static String blobLocation(RepositoryName name, Digest digest) {
        return "/v2/" + name + "/blobs/" + digest;
    }

    /** {@code Range: 0-<last byte>}, as distribution writes it: {@code 0-0} for an empty upload. */
    static String range(long size) {
        return "0-" + Math.max(0, size - 1);
    }

    /** The headers of every answer about an upload in progress. */
    static void uploadHeaders(HttpServletResponse response, RepositoryName name, String uploadId, long size) {
        response.setHeader("Location", uploadLocation(name, uploadId));
        response.setHeader("Range", range(size));
        response.setHeader("Docker-Upload-UUID", uploadId);
    }

    /** 202 for an upload that goes on. */
    static void uploadAccepted(HttpServletResponse response, RepositoryName name, String uploadId, long size) {
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
        uploadHeaders(response, name, uploadId, size);
        response.setContentLength(0);
    }

    /** 201 for a blob now in the repository. */
    static void blobCreated(HttpServletResponse response, RepositoryName name, Digest digest) {
        response.setStatus(HttpServletResponse.SC_CREATED);
        response.setHeader("Location", blobLocation(name, digest));
        response.setHeader("Docker-Content-Digest", digest.toString());
        response.setContentLength(0);
    }

    static void json(HttpServletResponse response, JsonMapper json, String contentType, Object body, boolean head) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        if (!head) {
            response.getOutputStream().write(bytes);
        }
    }
}
