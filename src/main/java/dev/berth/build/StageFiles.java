package dev.berth.build;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A stage's files as its snapshots (bottom layer first, in overlayfs's lower form) hold them, looked up
 * one path at a time from the top layer down; a whiteout (a 0/0 character device) hides what is below.
 * Enough to keep an existing directory's owner and mode in a COPY layer and to read {@code /etc/passwd}
 * and {@code /etc/group} for {@code --chown=NAME}; opaque directories are not looked at.
 */
final class StageFiles {

    private static final int MAX_ACCOUNTS_FILE = 4 * 1024 * 1024;

    private final List<Path> layers;

    StageFiles(List<Path> layers) {
        this.layers = List.copyOf(layers);
    }

    /** The file (in the topmost layer that has it) of an absolute path in the stage, if the stage has one. */
    Optional<Path> find(String path) {
        String relative = path.replaceAll("^/+", "");
        if (relative.isEmpty()) {
            return Optional.empty();
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            Path p = layers.get(i).resolve(relative);
            try {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
                boolean charDevice = ((Integer) a.get("mode") & 0170000) == 0020000;
                return charDevice && ((Long) a.get("rdev")) == 0 ? Optional.empty() : Optional.of(p);
            } catch (IOException absent) {
                // not in this layer: look below
            }
        }
        return Optional.empty();
    }

    /** The uid of a user name, from the stage's /etc/passwd. */
    OptionalLong uid(String name) {
        return field("/etc/passwd", name, 2);
    }

    /** The primary gid of a user name, from the stage's /etc/passwd. */
    OptionalLong primaryGid(String name) {
        return field("/etc/passwd", name, 3);
    }

    /** The gid of a group name, from the stage's /etc/group. */
    OptionalLong gid(String name) {
        return field("/etc/group", name, 2);
    }

    private OptionalLong field(String file, String name, int index) {
        Optional<Path> p = find(file).filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS));
        if (p.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            if (Files.size(p.get()) > MAX_ACCOUNTS_FILE) {
                return OptionalLong.empty();
            }
            for (String line : Files.readAllLines(p.get(), StandardCharsets.UTF_8)) {
                String[] f = line.split(":", -1);
                if (f.length > index && f[0].equals(name) && f[index].matches("\\d{1,10}")) {
                    return OptionalLong.of(Long.parseLong(f[index]));
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    List<Path> layers() {
        return new ArrayList<>(layers);
    }
}
