package dev.berth.runtime.container;

import java.util.Locale;

/**
 * How a container's root is made: {@code overlay} mounts the image's snapshots under an upper
 * directory of its own; {@code vfs} copies them (docker's name for the same fallback). Unset, overlay
 * is tried and a failed mount falls back to a copy.
 */
public enum StorageDriver {
    OVERLAY, VFS;

    /** @param name overlay, vfs, or null/empty for overlay with the fallback */
    public static StorageDriver parse(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "overlay", "overlay2" -> OVERLAY;
            case "vfs" -> VFS;
            default -> throw new IllegalArgumentException("unknown storage driver " + name + ": expected overlay or vfs");
        };
    }
}
