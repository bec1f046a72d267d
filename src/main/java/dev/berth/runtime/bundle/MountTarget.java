package dev.berth.runtime.bundle;

import dev.berth.runtime.sys.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A mount destination made ready in the container's root as the layer unpacker walks names: one
 * component at a time from the root, without following a symlink. A symlink or a non-directory on
 * the way, or a symlink at the destination itself, is refused, so no mount lands outside the root
 * (the runtime would follow the link); a missing directory is made, as the runtime would.
 */
public final class MountTarget {

    private MountTarget() {
    }

    /**
     * @param directory whether a directory is mounted there (a file is mounted on a file)
     * @return the destination's path under {@code rootfs}, reached without a symlink
     * @throws IllegalArgumentException when a symlink or a file is in the way
     */
    public static Path prepare(Path rootfs, String destination, boolean directory) throws IOException {
        List<String> components = List.of(destination.substring(1).split("/"));
        Posix.Directory dir = Posix.Directory.open(rootfs);
        try {
            for (int i = 0; i < components.size(); i++) {
                String component = components.get(i);
                boolean last = i == components.size() - 1;
                Posix.Stat stat = dir.stat(component);
                String walked = "/" + String.join("/", components.subList(0, i + 1));
                if (stat != null && stat.isSymlink()) {
                    throw new IllegalArgumentException("cannot mount on " + destination + ": " + walked
                            + " is a symlink in the image (mounts do not follow links)");
                }
                Path path = dir.path().resolve(component);
                if (last && !directory) {
                    if (stat == null) {
                        Files.createFile(path);
                    } else if (stat.isDirectory()) {
                        throw new IllegalArgumentException("cannot mount a file on " + destination + ": it is a directory in the image");
                    }
                    return path;
                }
                if (stat == null) {
                    Files.createDirectory(path);
                } else if (!stat.isDirectory()) {
                    throw new IllegalArgumentException("cannot mount on " + destination + ": " + walked + " is not a directory in the image");
                }
                Posix.Directory child = dir.child(component);
                if (child == null) {
                    throw new IllegalArgumentException("cannot mount on " + destination + ": " + walked + " changed while it was checked");
                }
                dir.close();
                dir = child;
            }
            return dir.path();
        } finally {
            dir.close();
        }
    }
}
