package dev.berth.client;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * {@code GET /v2/<name>/blobs/<digest>}, streamed into an output while hashing: more bytes than the
 * descriptor's size stop the download at once, and a digest mismatch fails it at the end. The
 * bytes already written are then the caller's to discard.
 */
final class BlobPuller implements RegistryEndpoint<Void> {

    private static final int BUFFER = 64 * 1024;

    private final String registry;
    private final RepositoryName repository;
    private final Descriptor blob;
    private final OutputStream out;
    private final LongConsumer progress;

    BlobPuller(String registry, RepositoryName repository, Descriptor blob, OutputStream out, LongConsumer progress) {
        this.registry = registry;
        this.repository = repository;
        this.blob = blob;
        this.out = out;
        this.progress = progress;
    }

    @Override
    public String path() {
        return repository + "/blobs/" + blob.digest();
    }

    @Override
    public List<MediaType> accept() {
        return List.of();
    }

    @Override
    public String scope() {
        return "repository:" + repository + ":pull";
    }

    @Override
    public String description() {
        return "pull blob " + blob.digest() + " from " + registry + "/" + repository;
    }

    @Override
    public OciErrorCode notFound() {
        return OciErrorCode.BLOB_UNKNOWN;
    }

    @Override
    public Void handle(HttpResponse<InputStream> response) throws IOException {
        MessageDigest hash = blob.digest().algorithm().newMessageDigest();
        InputStream in = response.body();
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            if (total > blob.size()) {
                throw new OciException(OciErrorCode.SIZE_INVALID, description() + ": the registry sent more than the "
                        + blob.size() + " bytes the manifest declares");
            }
            hash.update(buffer, 0, n);
            out.write(buffer, 0, n);
            progress.accept(total);
        }
        if (total != blob.size()) {
            throw new OciException(OciErrorCode.SIZE_INVALID, description() + ": the registry sent " + total
                    + " bytes, the manifest declares " + blob.size());
        }
        Digest actual = Digest.fromHash(blob.digest().algorithm(), hash.digest());
        if (!actual.equals(blob.digest())) {
            throw new OciException(OciErrorCode.DIGEST_INVALID, description() + ": the registry sent content with digest "
                    + actual + "; refused");
        }
        return null;
    }
}
