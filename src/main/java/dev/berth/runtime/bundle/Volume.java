package dev.berth.runtime.bundle;

import java.nio.file.Path;

/** A bind mount from {@code -v HOST:CONTAINER[:ro|rw]}; the host path must exist and be absolute. */
public record Volume(Path host, String container, boolean readOnly) {

    public static Volume parse(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("invalid volume " + spec + ": expected HOST:CONTAINER[:ro|rw]");
        }
        boolean readOnly = false;
        if (parts.length == 3) {
            switch (parts[2]) {
                case "ro" -> readOnly = true;
                case "rw" -> readOnly = false;
                default -> throw new IllegalArgumentException("invalid volume " + spec + ": mode must be ro or rw");
            }
        }
        if (!parts[0].startsWith("/")) {
            throw new IllegalArgumentException("invalid volume " + spec + ": the host path must be absolute (named volumes come later)");
        }
        if (!parts[1].startsWith("/") || parts[1].equals("/") || ("/" + parts[1] + "/").contains("/../")) {
            throw new IllegalArgumentException("invalid volume " + spec + ": the container path must be absolute, not /, without ..");
        }
        return new Volume(Path.of(parts[0]), parts[1], readOnly);
    }
}
