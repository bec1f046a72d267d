package dev.berth.registry.distribution;

import dev.berth.content.ContentStore;
import dev.berth.content.StoredBlob;
import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.metadata.BlobEntity;
import dev.berth.registry.proxy.CachedBlobs;
import dev.berth.registry.proxy.MirroredNames;
import dev.berth.registry.repository.RepositoryService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code GET|HEAD|DELETE /v2/<name>/blobs/<digest>}: serves blobs the repository links, whole or by range,
 * or sends a GET to the store's presigned URL of the blob (an S3 store with {@code redirect: true}).
 */
@Component
class BlobEndpoint implements V2Endpoint {

    private static final Logger log = LoggerFactory.getLogger(BlobEndpoint.class);
    /** Below this, copying is as cheap as handing the file to the kernel. */
    private static final long SENDFILE_THRESHOLD = 48 * 1024;

    private final RepositoryService repositories;
    private final ContentStore store;
    private final Counter pulledBytes;
    private final AuditLog audit;
    private final CachedBlobs proxied;
    private final MirroredNames mirrored;

    BlobEndpoint(RepositoryService repositories, ContentStore store, MeterRegistry meters, AuditLog audit, CachedBlobs proxied,
                 MirroredNames mirrored) {
        this.repositories = repositories;
        this.proxied = proxied;
        this.mirrored = mirrored;
        this.audit = audit;
        this.store = store;
        this.pulledBytes = Counter.builder("berth.blob.pulled.bytes").description("Blob bytes served to clients")
                .baseUnit("bytes").register(meters);
    }

    @Override
    public V2Route.Kind kind() {
        return V2Route.Kind.BLOB;
    }

    @Override
    public V2Methods methods() {
        return V2Methods.of(
                V2Method.of("GET", V2Need.PULL, (request, response) -> serve(request, response, Digest.of(request.argument()), false)),
                V2Method.of("HEAD", V2Need.PULL, (request, response) -> serve(request, response, Digest.of(request.argument()), true)),
                V2Method.of("DELETE", V2Need.DELETE, this::delete));
    }

    private void delete(V2Request request, HttpServletResponse response) {
        Digest digest = Digest.of(request.argument());
        repositories.unlink(request.name(), digest, () -> audit.record(request.principal().displayName(),
                AuditAction.BLOB_DELETE, AuditLog.target(request.name(), digest), request.clientAddress(), null));
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
        response.setContentLength(0);
    }

    private void serve(V2Request request, HttpServletResponse response, Digest digest, boolean head) throws IOException {
        // A HEAD is how pushers ask whether this repository holds a blob: the mirror's cache must not
        // answer it, or the push skips a blob its manifest then lacks. Pulls GET blobs.
        RepositoryName name = head ? request.name() : mirrored.forPull(request.name());
        Optional<BlobEntity> linked = repositories.linkedBlob(name, digest);
        if (linked.isEmpty() && proxied.serve(name, digest, head, response)) {
            return;
        }
        BlobEntity blob = linked.or(() -> repositories.linkedBlob(name, digest)).orElseThrow(() -> unknown(digest));
        StoredBlob stored = store.find(digest).orElseThrow(() -> {
            log.error("blob {} is recorded but its bytes are missing from the store", digest);
            return unknown(digest);
        });
        if (!head) {
            Optional<URI> elsewhere = stored.redirect();
            if (elsewhere.isPresent()) {
                // berth.storage.s3.redirect: the client fetches the bytes (and its Range) from the object store.
                response.setStatus(HttpServletResponse.SC_TEMPORARY_REDIRECT);
                response.setHeader("Location", elsewhere.get().toString());
                response.setHeader("Docker-Content-Digest", digest.toString());
                response.setHeader("Cache-Control", "no-store");
                response.setContentLength(0);
                return;
            }
        }
        long size = blob.size();
        ByteRange range = ByteRange.parse(request.header("Range"), size);
        if (range == ByteRange.UNSATISFIABLE) {
            // Only the size: the caching headers below belong to the blob, not to this error.
            response.setHeader("Content-Range", "bytes */" + size);
            response.setHeader("Accept-Ranges", "bytes");
            throw new OciException(OciErrorCode.RANGE_INVALID, "range " + request.header("Range") + " is outside the blob's " + size + " bytes");
        }
        response.setHeader("Docker-Content-Digest", digest.toString());
        response.setHeader("ETag", "\"" + digest + "\"");
        response.setHeader("Accept-Ranges", "bytes");
        response.setHeader("Cache-Control", "max-age=31536000");
        response.setContentType("application/octet-stream");
        long start = range == null ? 0 : range.start();
        long length = range == null ? size : range.length();
        if (range != null) {
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader("Content-Range", "bytes " + start + "-" + (start + length - 1) + "/" + size);
        } else {
            response.setStatus(HttpServletResponse.SC_OK);
        }
        response.setContentLengthLong(length);
        if (head || length == 0) {
            return;
        }
        pulledBytes.increment(length);
        Optional<Path> local = stored.file();
        if (local.isEmpty()) {
            try (InputStream in = stored.stream(start, length)) {
                in.transferTo(response.getOutputStream());
            }
            return;
        }
        Path file = local.get();
        HttpServletRequest http = request.http();
        if (length >= SENDFILE_THRESHOLD && Boolean.TRUE.equals(http.getAttribute("org.apache.tomcat.sendfile.support"))) {
            // Zero-copy: Tomcat hands the file to the kernel after this method returns.
            http.setAttribute("org.apache.tomcat.sendfile.filename", file.toAbsolutePath().toString());
            http.setAttribute("org.apache.tomcat.sendfile.start", start);
            http.setAttribute("org.apache.tomcat.sendfile.end", start + length);
            return;
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            OutputStream out = response.getOutputStream();
            WritableByteChannel channel = Channels.newChannel(out);
            long position = start;
            long end = start + length;
            while (position < end) {
                long sent = in.transferTo(position, end - position, channel);
                if (sent <= 0) {
                    throw new IOException("blob file " + digest + " is shorter than recorded");
                }
                position += sent;
            }
        }
    }

    private static OciException unknown(Digest digest) {
        return new OciException(OciErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in this repository",
                Map.of("digest", digest.toString()));
    }
}
