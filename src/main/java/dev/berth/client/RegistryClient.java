package dev.berth.client;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.oci.ManifestReference;
import dev.berth.oci.ImageReference;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.ParsedManifest;
import dev.berth.oci.Platform;
import dev.berth.oci.RepositoryName;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * A client of one OCI / Docker registry. Plain HTTP for {@code localhost}, 127.0.0.0/8, {@code ::1}
 * and the registries the user marks insecure; HTTPS otherwise.
 */
public final class RegistryClient {

    private final String registry;
    private final RegistryCaller caller;

    private RegistryClient(String registry, RegistryCaller caller) {
        this.registry = registry;
        this.caller = caller;
    }

    /**
     * @param registry the registry as written in image references ({@code docker.io}, {@code localhost:5000})
     * @param insecure registries to talk plain HTTP to, as written in image references
     */
    public static RegistryClient connect(String registry, CredentialSource credentials, Set<String> insecure) {
        String host = ImageReference.apiHost(registry);
        String scheme = isLoopback(host) || insecure.contains(registry) ? "http" : "https";
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(15))
                .build();
        URI base = URI.create(scheme + "://" + host);
        return new RegistryClient(registry, new RegistryCaller(http, registry, base, credentials.forRegistry(registry),
                new BearerTokens(http, Clock.systemUTC())));
    }

    /**
     * A client of the registry API at {@code base} ({@code https://registry-1.docker.io}, or
     * {@code http://...} for a registry that speaks plain HTTP), as an upstream is configured:
     * with the URL's scheme as given, and credentials for its Basic or Bearer challenge, if any.
     */
    public static RegistryClient forUpstream(URI base, Optional<Credentials> credentials, Duration connectTimeout) {
        if (!"https".equals(base.getScheme()) && !"http".equals(base.getScheme()) || base.getAuthority() == null) {
            throw new IllegalArgumentException("a registry URL is http:// or https:// and a host: " + base);
        }
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
        URI root = URI.create(base.getScheme() + "://" + base.getAuthority());
        return new RegistryClient(base.getAuthority(), new RegistryCaller(http, base.getAuthority(), root, credentials,
                new BearerTokens(http, Clock.systemUTC())));
    }

    static boolean isLoopback(String hostAndPort) {
        String host = hostAndPort;
        if (host.startsWith("[")) {
            host = host.substring(1, host.indexOf(']'));
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        return host.equals("localhost") || host.equals("::1") || host.matches("127(\\.\\d{1,3}){3}");
    }

    public String registry() {
        return registry;
    }

    /** Fails unless the registry answers {@code /v2/} (after authenticating, if it asks to). */
    public void ping() {
        caller.call(new Ping(registry));
    }

    public PulledManifest pullManifest(RepositoryName repository, ManifestReference reference) {
        return caller.call(new ManifestPuller(registry, repository, reference));
    }

    /** What the reference resolves to now, by {@code HEAD}: {@code MANIFEST_UNKNOWN} when nothing. */
    public ManifestHead checkManifest(RepositoryName repository, ManifestReference reference) {
        return caller.call(new ManifestChecker(registry, repository, reference));
    }

    /** Streams a blob into {@code out}, verified against its descriptor; {@code progress} gets the bytes so far. */
    public void pullBlob(RepositoryName repository, Descriptor blob, OutputStream out, LongConsumer progress) {
        pullBlob(repository, blob, in -> in.transferTo(out), progress);
    }

    /**
     * Hands a blob to {@code consumer} as it arrives. The bytes are hashed and counted on the way; when
     * the consumer returns, whatever it left is read and the size and digest are checked, and only then
     * does this method return. On a mismatch it throws (SIZE_INVALID, DIGEST_INVALID), whatever the
     * consumer did: what the consumer made of the bytes is then its own to discard.
     */
    public void pullBlob(RepositoryName repository, Descriptor blob, BlobConsumer consumer, LongConsumer progress) {
        caller.call(new BlobPuller(registry, repository, blob, consumer, progress));
    }

    /** Whether the repository holds the blob already ({@code HEAD}), so a push can skip it. */
    public boolean hasBlob(RepositoryName repository, Digest digest) {
        return caller.call(new BlobChecker(registry, repository, digest));
    }

    /**
     * Opens an upload of the blob, or mounts it from {@code mountFrom} (another repository of this
     * registry) when one is given and the registry can: then there is nothing to upload.
     */
    public UploadStart startUpload(RepositoryName repository, Digest digest, Optional<RepositoryName> mountFrom) {
        return caller.call(new UploadStarter(registry, repository, digest, mountFrom));
    }

    /** Uploads the blob's bytes to the session {@link #startUpload} opened, streamed from {@code source}. */
    public void uploadBlob(RepositoryName repository, UploadStart session, Descriptor blob, BlobSource source, LongConsumer progress) {
        if (session.mounted()) {
            throw new IllegalArgumentException(blob.digest() + " was mounted; there is no session to upload it to");
        }
        caller.call(new BlobUploader(registry, repository, session.location(), blob, source, progress));
    }

    /** Puts the manifest's exact bytes under the tag or digest. @return their digest */
    public Digest pushManifest(RepositoryName repository, ManifestReference reference, MediaType mediaType, byte[] bytes) {
        return caller.call(new ManifestPusher(registry, repository, reference, mediaType, bytes));
    }

    /** The entry of an index for the platform: the first that matches, as docker picks. */
    public static Descriptor selectPlatform(ParsedManifest index, Platform wanted, String what) {
        return index.manifests().stream()
                .filter(d -> d.mediaType().isManifest() && wanted.accepts(d.platform()))
                .findFirst()
                .orElseThrow(() -> new OciException(OciErrorCode.MANIFEST_UNKNOWN, what + " has no image for " + wanted
                        + "; it has " + index.manifests().stream().map(d -> String.valueOf(d.platform()))
                        .collect(Collectors.joining(", "))));
    }
}
