package dev.berth.runtime.image;

import java.util.Locale;

/**
 * The two tars {@code berth save} writes. Both hold an OCI image layout ({@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/…}); {@link #DOCKER} adds docker's {@code manifest.json}
 * and {@code repositories} beside it, as {@code docker save} (25 and later) writes them, so that
 * docker, podman and skopeo read it as a docker-archive and the layout readers as a layout.
 */
public enum ArchiveFormat {
    DOCKER("docker-archive"),
    OCI("oci-archive");

    private final String name;

    ArchiveFormat(String name) {
        this.name = name;
    }

    /** {@code docker-archive} or {@code oci-archive} (also {@code docker} and {@code oci}). */
    public static ArchiveFormat parse(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        for (ArchiveFormat f : values()) {
            if (t.equals(f.name) || t.equals(f.name.substring(0, f.name.indexOf('-')))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown archive format " + text + ": expected docker-archive or oci-archive");
    }

    @Override
    public String toString() {
        return name;
    }
}
