package dev.berth.client;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * {@code PUT <upload location>?digest=<digest>} with the whole blob as the body (the monolithic
 * upload): streamed from its source with its length announced, never held in memory. The registry
 * checks the digest; a {@code Docker-Content-Digest} that names another is refused here too.
 */
final class BlobUploader implements RegistryEndpoint<Void> {

    /** The response may take as long as the body: at least 10 minutes, and 1 more per 100 MiB (about 1.7 MB/s at worst). */
    private static final long BYTES_PER_MINUTE = 100L << 20;

    private final String registry;
    private final RepositoryName repository;
    private final URI location;
    private final Descriptor blob;
    private final BlobSource source;
    private final LongConsumer progress;

    BlobUploader(String registry, RepositoryName repository, URI location, Descriptor blob, BlobSource source,
                 LongConsumer progress) {
        this.registry = registry;
        this.repository = repository;
        this.location = location;
        this.blob = blob;
        this.source = source;
        this.progress = progress;
    }

    @Override
    public String method() {
        return "PUT";
    }

    @Override
    public String path() {
        return location.getPath();
    }

    @Override
    public URI uri(URI base) {
        // The location is used as the registry gave it, its query (distribution's _state) included.
        String digest = "digest=" + URLEncoder.encode(blob.digest().toString(), StandardCharsets.UTF_8);
        String text = location.toString();
        return URI.create(text + (location.getRawQuery() == null ? "?" : "&") + digest);
    }

    @Override
    public HttpRequest.BodyPublisher body() {
        return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
            try {
                return new Counting(source.open(), progress);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + blob.digest() + " to upload it: " + e.getMessage(), e);
            }
        }), blob.size());
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Content-Type", MediaType.OCTET_STREAM.value());
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(10 + blob.size() / BYTES_PER_MINUTE);
    }

    @Override
    public List<MediaType> accept() {
        return List.of();
    }

    @Override
    public String scope() {
        return "repository:" + repository + ":pull,push";
    }

    @Override
    public String description() {
        return "push blob " + blob.digest() + " to " + registry + "/" + repository;
    }

    @Override
    public OciErrorCode notFound() {
        return OciErrorCode.BLOB_UPLOAD_UNKNOWN;
    }

    @Override
    public Void handle(HttpResponse<InputStream> response) {
        String stored = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (stored != null && Digest.looksLikeDigest(stored) && !stored.equals(blob.digest().toString())) {
            throw new OciException(OciErrorCode.DIGEST_INVALID, description() + ": the registry stored it as " + stored);
        }
        return null;
    }

    /** Reports the bytes read so far as the body goes out. */
    private static final class Counting extends FilterInputStream {

        private final LongConsumer progress;
        private long total;

        Counting(InputStream in, LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                progress.accept(++total);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                total += n;
                progress.accept(total);
            }
            return n;
        }
    }
}
