package dev.berth.oci;

/** The platform of one entry of an image index: {@code linux/amd64}, {@code linux/arm64/v8}. */
public record Platform(String os, String architecture, String variant) {

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
