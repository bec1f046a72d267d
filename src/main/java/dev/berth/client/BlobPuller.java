package dev.berth.client;

import dev.berth.oci.Descriptor;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * {@code GET /v2/<name>/blobs/<digest>}, handed to a consumer as it arrives while hashing: more
 * bytes than the descriptor's size stop the download at once, and a size or digest mismatch fails it
 * at the end (what the consumer left unread is read first). What the consumer made of the bytes is
 * then its own to discard.
 */
final class BlobPuller implements RegistryEndpoint<Void> {

    private final String registry;
    private final RepositoryName repository;
    private final Descriptor blob;
    private final BlobConsumer consumer;
    private final LongConsumer progress;

    BlobPuller(String registry, RepositoryName repository, Descriptor blob, BlobConsumer consumer, LongConsumer progress) {
        this.registry = registry;
        this.repository = repository;
        this.blob = blob;
        this.consumer = consumer;
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
        VerifyingInputStream in = new VerifyingInputStream(response.body(), blob, description(), progress);
        try {
            consumer.accept(in);
            in.drain();
        } catch (IOException | RuntimeException e) {
            if (in.failure() == null && in.networkFailure() == null) {
                // A blob the consumer choked on (a corrupt gzip stream) may be the registry's fault: read it to the end to tell.
                try {
                    in.drain();
                } catch (IOException ignored) {
                    // in.failure() or in.networkFailure() says what it was
                }
            }
            if (in.failure() != null) {
                throw in.failure();
            }
            if (e instanceof IOException io && in.networkFailure() == null) {
                throw new UncheckedIOException(io.getMessage(), io); // the consumer's, not the connection's
            }
            throw e;
        }
        return null;
    }
}
