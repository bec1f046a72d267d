package dev.berth.registry.distribution;

import dev.berth.oci.MediaType;
import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import dev.berth.registry.RegistryProperties;
import dev.berth.registry.proxy.CachedManifests;
import dev.berth.registry.proxy.MirroredNames;
import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.oci.ManifestReference;
import dev.berth.registry.manifest.ManifestService;
import dev.berth.registry.metadata.StoredManifest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.stereotype.Component;

/** {@code GET|HEAD|PUT|DELETE /v2/<name>/manifests/<reference>}; pushes and deletes go to the audit log. */
@Component
class ManifestEndpoint implements V2Endpoint {

    private final ManifestService manifests;
    private final AuditLog audit;
    private final long maxSize;
    private final CachedManifests proxied;
    private final MirroredNames mirrored;

    ManifestEndpoint(ManifestService manifests, AuditLog audit, RegistryProperties properties, CachedManifests proxied,
                     MirroredNames mirrored) {
        this.manifests = manifests;
        this.proxied = proxied;
        this.mirrored = mirrored;
        this.audit = audit;
        this.maxSize = properties.manifests().maxSize().toBytes();
    }

    @Override
    public V2Route.Kind kind() {
        return V2Route.Kind.MANIFEST;
    }

    @Override
    public V2Methods methods() {
        return V2Methods.of(
                V2Method.of("GET", V2Need.PULL, (request, response) -> get(request, response, existing(request.argument()), false)),
                V2Method.of("HEAD", V2Need.PULL, (request, response) -> get(request, response, existing(request.argument()), true)),
                V2Method.manifest("PUT", V2Need.PUSH, (request, response) -> put(request, response, ManifestReference.parse(request.argument()))),
                V2Method.of("DELETE", V2Need.DELETE, (request, response) -> delete(request, response, existing(request.argument()))));
    }

    private void delete(V2Request request, HttpServletResponse response, ManifestReference reference) {
        boolean tag = reference instanceof ManifestReference.ByTag;
        manifests.delete(request.name(), reference, () -> audit.record(request.principal().displayName(),
                tag ? AuditAction.TAG_DELETE : AuditAction.MANIFEST_DELETE, AuditLog.target(request.name(), reference),
                request.clientAddress(), null));
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
        response.setContentLength(0);
    }

    /**
     * The reference of a manifest to read or delete. One that is neither a tag nor a digest names
     * no manifest: 404 MANIFEST_UNKNOWN, as distribution and zot answer (clients probe with such
     * names, e.g. {@code .INVALID}); only a push to it is refused as invalid (400).
     */
    private static ManifestReference existing(String argument) {
        try {
            return ManifestReference.parse(argument);
        } catch (OciException e) {
            throw new OciException(OciErrorCode.MANIFEST_UNKNOWN, "manifest unknown: " + e.getMessage() + ", so no manifest has it");
        }
    }

    private void get(V2Request request, HttpServletResponse response, ManifestReference reference, boolean head) throws IOException {
        RepositoryName name = mirrored.forPull(request.name());
        proxied.prepare(name, reference, response);
        StoredManifest manifest = manifests.get(name, reference);
        proxied.served(name, manifest);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(manifest.mediaType().value());
        response.setHeader("Docker-Content-Digest", manifest.digest().toString());
        response.setHeader("ETag", "\"" + manifest.digest() + "\"");
        response.setContentLength(manifest.content().length);
        if (!head) {
            response.getOutputStream().write(manifest.content());
        }
    }

    private void put(V2Request request, HttpServletResponse response, ManifestReference reference) throws IOException {
        proxied.refusePush(request.name());
        List<Tag> extraTags = request.params("tag").stream().map(Tag::of).toList();
        byte[] body = readLimited(request);
        String contentType = request.header("Content-Type");
        boolean byTag = reference instanceof ManifestReference.ByTag;
        ManifestService.Pushed pushed = manifests.push(request.name(), reference, body,
                contentType == null || contentType.isBlank() ? null : MediaType.parse(contentType), extraTags,
                p -> audit.record(request.principal().displayName(), AuditAction.MANIFEST_PUSH,
                        AuditLog.target(request.name(), reference), request.clientAddress(),
                        p.digest() + (extraTags.isEmpty() ? "" : " tags " + String.join(",", extraTags.stream().map(Tag::value).toList()))));
        response.setStatus(HttpServletResponse.SC_CREATED);
        response.setHeader("Location", "/v2/" + request.name() + "/manifests/" + pushed.digest());
        response.setHeader("Docker-Content-Digest", pushed.digest().toString());
        if (pushed.subject() != null) {
            response.setHeader("OCI-Subject", pushed.subject().toString());
        }
        if (!extraTags.isEmpty()) {
            pushed.tags().forEach(t -> response.addHeader("OCI-Tag", t.value()));
        }
        response.setContentLength(0);
    }

    /** The manifest body, refused with 413 as soon as it is known to exceed the limit. */
    private byte[] readLimited(V2Request request) throws IOException {
        long declared = request.contentLength();
        if (declared > maxSize) {
            throw tooLarge();
        }
        try (InputStream in = request.body()) {
            byte[] body = in.readNBytes((int) maxSize + 1);
            if (body.length > maxSize) {
                throw tooLarge();
            }
            if (declared >= 0 && body.length != declared) {
                throw new OciException(OciErrorCode.SIZE_INVALID, "received " + body.length + " bytes, but Content-Length was " + declared);
            }
            if (body.length == 0) {
                throw new OciException(OciErrorCode.MANIFEST_INVALID, "the manifest body is empty");
            }
            return body;
        }
    }

    private OciException tooLarge() {
        return new OciException(OciErrorCode.MANIFEST_TOO_LARGE, "manifest is larger than the " + maxSize + "-byte limit");
    }
}
