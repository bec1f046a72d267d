package dev.berth.oci;

import java.util.Locale;
import java.util.Objects;

/**
 * An image reference as docker writes it: {@code busybox}, {@code library/busybox:1.36},
 * {@code localhost:5000/team/app@sha256:…}. Parsing follows docker's normalization: the first
 * path component is a registry only if it contains {@code .} or {@code :}, is {@code localhost}, or
 * has upper-case letters; otherwise the registry is Docker Hub ({@code docker.io}), where a
 * one-component name gets {@code library/}. With neither tag nor digest, the tag is {@code latest}.
 */
public final class ImageReference {

    public static final String DOCKER_HUB = "docker.io";
    private static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";
    private static final String LEGACY_DOCKER_HUB = "index.docker.io";
    private static final Tag LATEST = Tag.of("latest");

    private final String registry;
    private final RepositoryName repository;
    private final Tag tag;
    private final Digest digest;

    private ImageReference(String registry, RepositoryName repository, Tag tag, Digest digest) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
    }

    /** Parses {@code [registry/]name[:tag][@digest]}; anything else is {@code NAME_INVALID}. */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid("an image reference is required");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.of(rest.substring(at + 1));
            } catch (OciException e) {
                throw invalid("invalid image reference " + text + ": " + e.getMessage());
            }
            rest = rest.substring(0, at);
        }
        Tag tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            String tagText = rest.substring(colon + 1);
            if (!Tag.isValid(tagText)) {
                throw invalid("invalid tag in image reference " + text + ": expected [A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
            }
            tag = Tag.of(tagText);
            rest = rest.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0 && isRegistry(rest.substring(0, slash))) {
            registry = rest.substring(0, slash);
            path = rest.substring(slash + 1);
        }
        if (registry.equals(LEGACY_DOCKER_HUB)) {
            registry = DOCKER_HUB;
        }
        if (registry.isEmpty() || !registry.matches("[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\\[[0-9a-fA-F:.]+\\](?::[0-9]{1,5})?")) {
            throw invalid("invalid registry in image reference " + text);
        }
        if (registry.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
            path = "library/" + path;
        }
        if (!path.equals(path.toLowerCase(Locale.ROOT))) {
            throw invalid("invalid image reference " + text + ": repository name must be lowercase");
        }
        if (!RepositoryName.isValid(path)) {
            throw invalid("invalid image reference " + text + ": expected [registry/]name[:tag][@digest]"
                    + " with a lower-case name of [a-z0-9] separated by . _ __ - or /");
        }
        if (tag == null && digest == null) {
            tag = LATEST;
        }
        return new ImageReference(registry, RepositoryName.of(path), tag, digest);
    }

    private static boolean isRegistry(String component) {
        return component.contains(".") || component.contains(":") || component.equals("localhost")
                || !component.equals(component.toLowerCase(Locale.ROOT));
    }

    /** The registry as written, e.g. {@code docker.io} or {@code localhost:5000}. */
    public String registry() {
        return registry;
    }

    /** The host (and port) to talk HTTP to: Docker Hub's API lives on {@code registry-1.docker.io}. */
    public String registryHost() {
        return apiHost(registry);
    }

    /** The host (and port) that serves the API of a registry named as in references. */
    public static String apiHost(String registry) {
        return registry.equals(DOCKER_HUB) || registry.equals(LEGACY_DOCKER_HUB) ? DOCKER_HUB_API_HOST : registry;
    }

    public RepositoryName repository() {
        return repository;
    }

    /** The tag, or null for a reference by digest only. */
    public Tag tag() {
        return tag;
    }

    /** The digest, or null for a reference by tag. */
    public Digest digest() {
        return digest;
    }

    /** What goes into {@code /v2/<name>/manifests/<reference>}: the digest when there is one, else the tag. */
    public ManifestReference manifestReference() {
        return digest != null ? new ManifestReference.ByDigest(digest) : new ManifestReference.ByTag(tag);
    }

    /** The same image, pinned to a digest (the tag is kept for display). */
    public ImageReference withDigest(Digest pinned) {
        return new ImageReference(registry, repository, tag, pinned);
    }

    /** The repository as docker shows it: without {@code docker.io/} and {@code library/}. */
    public String familiarRepository() {
        if (!registry.equals(DOCKER_HUB)) {
            return registry + "/" + repository;
        }
        String name = repository.value();
        return name.startsWith("library/") && name.indexOf('/', 8) < 0 ? name.substring(8) : name;
    }

    /** The fully qualified form: {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return registry + "/" + repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageReference r && r.registry.equals(registry) && r.repository.equals(repository)
                && Objects.equals(r.tag, tag) && Objects.equals(r.digest, digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registry, repository, tag, digest);
    }

    private static OciException invalid(String message) {
        return new OciException(OciErrorCode.NAME_INVALID, message);
    }
}
