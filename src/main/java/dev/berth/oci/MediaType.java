package dev.berth.oci;

import java.util.Locale;

/**
 * A media type as it appears in a {@code Content-Type} header or a descriptor. Parameters after
 * {@code ;} are dropped when comparing, since the registry stores the type the client pushed.
 */
public record MediaType(String value) {

    public static final MediaType OCI_MANIFEST = new MediaType("application/vnd.oci.image.manifest.v1+json");
    public static final MediaType OCI_INDEX = new MediaType("application/vnd.oci.image.index.v1+json");
    public static final MediaType OCI_CONFIG = new MediaType("application/vnd.oci.image.config.v1+json");
    public static final MediaType OCI_EMPTY = new MediaType("application/vnd.oci.empty.v1+json");
    public static final MediaType OCI_LAYER_TAR = new MediaType("application/vnd.oci.image.layer.v1.tar");
    public static final MediaType OCI_LAYER_GZIP = new MediaType("application/vnd.oci.image.layer.v1.tar+gzip");
    public static final MediaType OCI_LAYER_ZSTD = new MediaType("application/vnd.oci.image.layer.v1.tar+zstd");
    public static final MediaType DOCKER_MANIFEST = new MediaType("application/vnd.docker.distribution.manifest.v2+json");
    public static final MediaType DOCKER_MANIFEST_LIST = new MediaType("application/vnd.docker.distribution.manifest.list.v2+json");
    public static final MediaType DOCKER_CONFIG = new MediaType("application/vnd.docker.container.image.v1+json");
    public static final MediaType DOCKER_LAYER_GZIP = new MediaType("application/vnd.docker.image.rootfs.diff.tar.gzip");
    public static final MediaType DOCKER_FOREIGN_LAYER = new MediaType("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip");
    public static final MediaType OCTET_STREAM = new MediaType("application/octet-stream");
    public static final MediaType JSON = new MediaType("application/json");

    public MediaType {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a media type is required");
        }
    }

    /** Parses a header value: keeps {@code type/subtype}, drops parameters, lower-cases. */
    public static MediaType parse(String header) {
        int semicolon = header.indexOf(';');
        String essence = (semicolon >= 0 ? header.substring(0, semicolon) : header).trim().toLowerCase(Locale.ROOT);
        return new MediaType(essence);
    }

    public boolean isManifest() {
        return equals(OCI_MANIFEST) || equals(DOCKER_MANIFEST);
    }

    public boolean isIndex() {
        return equals(OCI_INDEX) || equals(DOCKER_MANIFEST_LIST);
    }

    public boolean isManifestOrIndex() {
        return isManifest() || isIndex();
    }

    @Override
    public String toString() {
        return value;
    }
}
