package dev.berth.client;

import dev.berth.oci.Descriptor;
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
