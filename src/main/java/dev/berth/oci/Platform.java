package dev.berth.oci;

import java.util.Locale;

/** The platform of one entry of an image index: {@code linux/amd64}, {@code linux/arm64/v8}. */
public record Platform(String os, String architecture, String variant) {

    /** Parses {@code os/arch[/variant]}, as given to {@code --platform}. */
    public static Platform parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()
                || (parts.length == 3 && parts[2].isEmpty())) {
            throw new IllegalArgumentException("invalid platform " + text + ": expected os/arch[/variant], e.g. linux/amd64");
        }
        return new Platform(parts[0].toLowerCase(Locale.ROOT), parts[1].toLowerCase(Locale.ROOT),
                parts.length == 3 ? parts[2].toLowerCase(Locale.ROOT) : null);
    }

    /** The platform of this machine, in the names Go (and so every registry) uses. */
    public static Platform host() {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm" -> "arm";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> System.getProperty("os.arch");
        };
        return new Platform("linux", arch, null);
    }

    /**
     * True when an image for {@code candidate} runs on this platform: same os and architecture, and
     * the same variant when this platform names one ({@code arm64} without a variant is {@code v8}).
     */
    public boolean accepts(Platform candidate) {
        if (candidate == null || !os.equals(candidate.os) || !architecture.equals(candidate.architecture)) {
            return false;
        }
        return variant == null || variant.equals(normalVariant(candidate));
    }

    private static String normalVariant(Platform p) {
        return p.variant == null && "arm64".equals(p.architecture) ? "v8" : p.variant;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null || variant.isEmpty() ? "" : "/" + variant);
    }
}
