package dev.berth.registry.proxy;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.RegistryProperties;
import dev.berth.registry.metadata.ManifestRecords;
import dev.berth.registry.repository.RepositoryService;
import dev.berth.registry.upload.UploadService;
import dev.berth.registry.upload.UploadWrite;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Blobs of proxied repositories that are not stored yet: fetched from the upstream once, however
 * many clients ask meanwhile, streamed to each of them as they arrive, and stored as a pushed blob
 * is (content-addressed, linked to the repository, reviewed by GC) once their digest checked out.
 * The size comes from the cached manifests that reference the blob; a blob none of them references
 * is unknown here, as it would be upstream for a client that had not pulled a manifest first.
 */
@Component
public class CachedBlobs implements DisposableBean {

    private final Upstreams upstreams;
    private final RepositoryService repositories;
    private final ManifestRecords records;
    private final UploadService uploads;
    private final ProxyMeters meters;
    private final BlobDownloads downloads;

    CachedBlobs(Upstreams upstreams, RepositoryService repositories, ManifestRecords records, UploadService uploads,
                ProxyMeters meters, RegistryProperties properties) throws IOException {
        this.upstreams = upstreams;
        this.repositories = repositories;
        this.records = records;
        this.uploads = uploads;
        this.meters = meters;
        this.downloads = new BlobDownloads(properties.dataDir().resolve("proxy-spool"), Duration.ofSeconds(60));
    }

    /**
     * Answers a GET or HEAD of a blob the repository does not hold, when the repository is an upstream's.
     *
     * @return false when the repository is no upstream's, or the blob was stored meanwhile: the caller
     *         then answers from the store as for any repository
     */
    public boolean serve(RepositoryName name, Digest digest, boolean head, HttpServletResponse response) throws IOException {
        Optional<Upstreams.ProxiedRepository> route = upstreams.route(name);
        if (route.isEmpty()) {
            return false;
        }
        Upstreams.ConnectedUpstream upstream = route.get().upstream();
        long repositoryId = repositories.find(name).orElseThrow(() -> unknown(digest, name)).id();
        ManifestRecords.Reference reference = records.blobReference(repositoryId, digest).orElseThrow(() -> unknown(digest, name));
        long size = reference.size();
        headers(response, digest, size);
        if (head) {
            return true;
        }
        Descriptor descriptor = new Descriptor(reference.mediaType(), digest, size, null, null, null);
        Optional<InputStream> arriving;
        try {
            arriving = downloads.read(digest, size, 0, size, spool -> fetch(route.get(), descriptor, spool));
        } catch (UncheckedIOException e) {
            meters.count(upstream, ProxyMeters.Result.ERROR);
            throw e.getCause().getCause() instanceof OciException upstreamError
                    ? UpstreamCalls.forClient(upstream, upstreamError, response)
                    : new OciException(OciErrorCode.UNAVAILABLE, "upstream " + upstream.name() + ": " + e.getMessage());
        }
        if (arriving.isEmpty()) {
            response.reset();
            return false;
        }
        meters.count(upstream, ProxyMeters.Result.MISS);
        try (InputStream in = arriving.get()) {
            // A failure here breaks the connection: the client never gets the last byte of unverified content.
            in.transferTo(response.getOutputStream());
        } catch (IOException e) {
            if (!response.isCommitted() && e.getCause() instanceof IOException fetch && fetch.getCause() instanceof OciException upstreamError) {
                response.reset();
                throw UpstreamCalls.forClient(upstream, upstreamError, response);
            }
            throw e;
        }
        return true;
    }

    /** The upstream download: through an upload of the repository (the push path), and the spool that clients read. */
    private void fetch(Upstreams.ProxiedRepository route, Descriptor blob, OutputStream spool) throws IOException {
        Upstreams.ConnectedUpstream upstream = route.upstream();
        UploadWrite write = uploads.putWhole(route.localName(), blob.digest(), blob.size());
        boolean stored = false;
        try {
            UpstreamCalls.call(upstream, () -> {
                upstream.client().pullBlob(route.upstreamName(), blob, in -> {
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        write.write(buffer, 0, n);
                        spool.write(buffer, 0, n);
                    }
                }, bytes -> { });
                return null;
            });
            write.finish();
            stored = true;
            meters.fetched(upstream, blob.size());
        } finally {
            if (!stored) {
                write.abandon("the upstream download failed");
            }
        }
    }

    private static void headers(HttpServletResponse response, Digest digest, long size) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Docker-Content-Digest", digest.toString());
        response.setHeader("ETag", "\"" + digest + "\"");
        response.setContentType("application/octet-stream");
        response.setContentLengthLong(size);
    }

    private static OciException unknown(Digest digest, RepositoryName name) {
        return new OciException(OciErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in " + name
                + " and no manifest cached there references it", Map.of("digest", digest.toString()));
    }

    @Override
    public void destroy() {
        downloads.close();
    }
}
