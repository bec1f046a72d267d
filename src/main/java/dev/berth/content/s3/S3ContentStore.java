package dev.berth.content.s3;

import dev.berth.content.ContentStore;
import dev.berth.content.ContentWriter;
import dev.berth.content.SpaceGuard;
import dev.berth.content.StagedBlob;
import dev.berth.content.StagingName;
import dev.berth.content.StoredBlob;
import dev.berth.oci.Digest;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs as objects of an S3-compatible bucket ({@link S3Keys} has the layout). An upload spools on
 * local disk: bytes gather in {@code <spool>/<name>} until a part's worth ({@link S3Settings#partSize},
 * at least S3's 5 MiB) is there, which goes to S3 as the next part of the upload's multipart upload
 * ({@link PartsRecord}); so the spool never holds much more than a part, whatever the chunk sizes.
 * Content smaller than one part never becomes a multipart upload: it goes up in one PUT, under its
 * digest, once it was checked. A larger one is completed under {@code staging/<name>} (a multipart
 * upload's key is fixed when it starts, before the digest is known), checked, and only then copied
 * to its digest's key by the S3 server itself ({@link S3StagedBlob#commit}).
 */
public final class S3ContentStore implements ContentStore {

    private final S3Settings settings;
    private final S3Keys keys;
    private final Path spool;
    private final SpaceGuard space;
    private final S3Client s3;
    private final S3Presigner presigner;
    /** The running hash of each upload between its requests; lost on restart, then its commit reads the bytes again. */
    private final ConcurrentMap<StagingName, RunningDigest> hashes = new ConcurrentHashMap<>();

    /** Opens the store on the bucket of {@code settings}, spooling uploads in {@code spool} (created if missing). */
    public S3ContentStore(S3Settings settings, Path spool, SpaceGuard space) {
        this.settings = settings;
        this.keys = new S3Keys(settings.prefix());
        this.spool = spool;
        this.space = space;
        AwsCredentialsProvider credentials = settings.accessKey() == null || settings.accessKey().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        var client = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .build())
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyleAccess())
                // Checksums only where S3 requires them: S3-compatible servers differ on the newer trailing ones.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        var signer = S3Presigner.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyleAccess()).build());
        if (settings.endpoint() != null) {
            client.endpointOverride(settings.endpoint());
            signer.endpointOverride(settings.endpoint());
        }
        this.s3 = client.build();
        this.presigner = signer.build();
        try {
            Files.createDirectories(spool);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the upload spool " + spool, e);
        }
    }

    @Override
    public Optional<StoredBlob> find(Digest digest) throws IOException {
        return size(keys.blob(digest)).map(size -> new S3Blob(this, digest, size));
    }

    @Override
    public Stream<Digest> list() throws IOException {
        return call("list " + keys.blobs(), () -> s3.listObjectsV2Paginator(r -> r.bucket(settings.bucket()).prefix(keys.blobs())))
                .contents().stream()
                .flatMap(object -> keys.digestOf(object.key()).stream());
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        String key = keys.blob(digest);
        if (size(key).isEmpty()) {
            return false;
        }
        call("delete " + key, () -> s3.deleteObject(r -> r.bucket(settings.bucket()).key(key)));
        return true;
    }

    @Override
    public StagedBlob stage(StagingName name) throws IOException {
        return stage(name, Digest.Algorithm.SHA256, true);
    }

    @Override
    public Optional<StagedBlob> resume(StagingName name) throws IOException {
        FileChannel tail;
        try {
            tail = FileChannel.open(tail(name), StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            hashes.remove(name);
            return Optional.empty();
        }
        try {
            PartsRecord record = PartsRecord.read(parts(name));
            long size = uploaded(record) + tail.size();
            tail.position(tail.size());
            RunningDigest hash = hashes.remove(name);
            MessageDigest md = hash != null && hash.size() == size ? hash.digest() : null;
            return Optional.of(new S3StagedBlob(this, name, tail, record, Digest.Algorithm.SHA256, true, md));
        } catch (IOException | RuntimeException e) {
            tail.close();
            throw e;
        }
    }

    @Override
    public Optional<Long> stagedSize(StagingName name) throws IOException {
        try {
            long tail = Files.size(tail(name));
            return Optional.of(uploaded(PartsRecord.read(parts(name))) + tail);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void discard(StagingName name) throws IOException {
        hashes.remove(name);
        PartsRecord record = PartsRecord.read(parts(name));
        if (record != null) {
            String key = keys.staging(name);
            try {
                call("abort the multipart upload of " + key, () -> s3.abortMultipartUpload(r -> r.bucket(settings.bucket())
                        .key(key).uploadId(record.uploadId())));
            } catch (IOException e) {
                if (!(e.getCause() instanceof S3Exception s3e && s3e.statusCode() == 404)) {
                    throw e;
                }
                // Completed or aborted already.
            }
            // A commit that stopped between completing and copying left the object.
            call("delete " + key, () -> s3.deleteObject(r -> r.bucket(settings.bucket()).key(key)));
        }
        Files.deleteIfExists(base(name));
        Files.deleteIfExists(parts(name));
        // Last: while the tail is there, the upload is listed as staged, so a failed discard is tried again.
        Files.deleteIfExists(tail(name));
    }

    @Override
    public List<StagingName> stagedUntouchedSince(Instant cutoff) throws IOException {
        return StagingName.untouchedSince(spool, cutoff);
    }

    @Override
    public ContentWriter writer(Digest expected, long size) throws IOException {
        return new ContentWriter(stage(StagingName.random(), expected.algorithm(), true), expected, size);
    }

    @Override
    public ContentWriter writerVerifiedByCaller(Digest expected, long size) throws IOException {
        return new ContentWriter(stage(StagingName.random(), expected.algorithm(), false), expected, size);
    }

    @Override
    public void probe() throws IOException {
        if (!Files.isDirectory(spool) || !Files.isWritable(spool)) {
            throw new IOException(spool + " is not a writable directory");
        }
        String key = keys.probe();
        call("write " + key, () -> s3.putObject(r -> r.bucket(settings.bucket()).key(key), RequestBody.empty()));
        call("delete " + key, () -> s3.deleteObject(r -> r.bucket(settings.bucket()).key(key)));
    }

    @Override
    public String location() {
        return "s3://" + settings.bucket() + "/" + settings.prefix() + (settings.endpoint() != null ? " at " + settings.endpoint() : "");
    }

    @Override
    public OciException unknown(Digest digest) {
        return new OciException(OciErrorCode.BLOB_UNKNOWN, "blob " + digest + " is not in the bucket " + location());
    }

    private StagedBlob stage(StagingName name, Digest.Algorithm algorithm, boolean hashed) throws IOException {
        FileChannel tail = FileChannel.open(tail(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        // Left by a crash of an earlier upload of that name, whose tail is gone: not this upload's.
        Files.deleteIfExists(parts(name));
        return new S3StagedBlob(this, name, tail, null, algorithm, hashed, hashed ? algorithm.newMessageDigest() : null);
    }

    /** The size of the object under {@code key}, or empty when there is none. */
    Optional<Long> size(String key) throws IOException {
        try {
            return Optional.of(call("look up " + key, () -> s3.headObject(r -> r.bucket(settings.bucket()).key(key))).contentLength());
        } catch (IOException e) {
            if (e.getCause() instanceof NoSuchKeyException || e.getCause() instanceof S3Exception s3e && s3e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Runs one S3 request; its failure (the SDK's unchecked exceptions) becomes an {@link IOException} that says what failed. */
    static <T> T call(String what, Supplier<T> request) throws IOException {
        try {
            return request.get();
        } catch (SdkException e) {
            throw new IOException("S3: cannot " + what + ": " + e.getMessage(), e);
        }
    }

    long uploaded(PartsRecord record) {
        return record == null ? 0 : record.etags().size() * settings.partSize();
    }

    void rememberHash(StagingName name, RunningDigest hash) {
        hashes.put(name, hash);
    }

    void forgetHash(StagingName name) {
        hashes.remove(name);
    }

    Path tail(StagingName name) {
        return spool.resolve(name.value());
    }

    /** Dots: never a staging name, so never listed as staged content. */
    Path parts(StagingName name) {
        return spool.resolve(name.value() + ".parts");
    }

    Path base(StagingName name) {
        return spool.resolve(name.value() + ".base");
    }

    S3Settings settings() {
        return settings;
    }

    S3Keys keys() {
        return keys;
    }

    S3Client s3() {
        return s3;
    }

    S3Presigner presigner() {
        return presigner;
    }

    SpaceGuard space() {
        return space;
    }

    /** A running hash kept between an upload's requests, and how many bytes it has seen. */
    record RunningDigest(MessageDigest digest, long size) {
    }
}
