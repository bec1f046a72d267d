package dev.berth.runtime.bundle;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A mount from {@code -v SOURCE:CONTAINER[:ro|rw]}: a bind mount when SOURCE is an absolute host
 * path (which must exist), a named volume when it is a name (made on first use, {@code berth volume}).
 *
 * @param host the host directory or file mounted; for a named volume null until it is resolved
 * @param name the volume's name, or null for a bind mount
 * @param mode "ro", "rw" or "" as given
 */
public record Volume(Path host, String name, String container, String mode) {

    /** Docker's rule for a local volume's name. */
    public static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{1,254}");

    public static Volume parse(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("invalid volume " + spec + ": expected HOST-PATH|NAME:CONTAINER-PATH[:ro|rw]");
        }
        String mode = parts.length == 3 ? parts[2] : "";
        if (!mode.isEmpty() && !mode.equals("ro") && !mode.equals("rw")) {
            throw new IllegalArgumentException("invalid volume " + spec + ": mode must be ro or rw");
        }
        String container = destination(parts[1], "volume " + spec);
        if (parts[0].startsWith("/")) {
            if (("/" + parts[0] + "/").contains("/../")) {
                throw new IllegalArgumentException("invalid volume " + spec + ": the host path must not contain ..");
            }
            return new Volume(Path.of(parts[0]).normalize(), null, container, mode);
        }
        if (!NAME.matcher(parts[0]).matches()) {
            throw new IllegalArgumentException("invalid volume " + spec + ": the host path must be absolute, or a volume name "
                    + NAME.pattern());
        }
        return new Volume(null, parts[0], container, mode);
    }

    /** An absolute container path, not /, without {@code ..}, as a mount destination. */
    static String destination(String path, String what) {
        if (!path.startsWith("/") || path.replaceAll("/+", "/").equals("/") || ("/" + path + "/").contains("/../")) {
            throw new IllegalArgumentException("invalid " + what + ": the container path must be absolute, not /, without ..");
        }
        return Path.of(path).normalize().toString();
    }

    public boolean readOnly() {
        return mode.equals("ro");
    }

    public boolean named() {
        return name != null;
    }

    /** This named volume with its directory on the host. */
    public Volume at(Path data) {
        return new Volume(data, name, container, mode);
    }
}
