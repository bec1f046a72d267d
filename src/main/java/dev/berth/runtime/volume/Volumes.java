package dev.berth.runtime.volume;

import dev.berth.runtime.bundle.Volume;
import dev.berth.runtime.sys.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Named volumes, as docker's local driver keeps them: {@code ROOT/volumes/<name>/_data} is the
 * directory mounted. A volume is made by {@code volume create} or on first use by {@code -v NAME:/path},
 * then seeded with what the image has at that path while it is still empty.
 */
public final class Volumes {

    private final Path root;
    private final Path dir;

    /** A volume: its name, the directory mounted, and when it was made. */
    public record Info(String name, Path mountpoint, Instant created) {
    }

    public Volumes(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.dir = this.root.resolve("volumes");
    }

    /** Where a volume's content is (whether it exists or not). */
    public Path data(String name) {
        return dir.resolve(checked(name)).resolve("_data");
    }

    /** Makes the volume unless it exists. @return its directory */
    public Path create(String name) throws IOException {
        return Files.createDirectories(data(name));
    }

    public Optional<Info> get(String name) throws IOException {
        if (!Volume.NAME.matcher(name).matches() || !Files.isDirectory(data(name), LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        BasicFileAttributes attrs = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return Optional.of(new Info(name, data(name), attrs.lastModifiedTime().toInstant()));
    }

    /** Every volume, by name. */
    public List<Info> list() throws IOException {
        List<Info> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> names = Files.list(dir)) {
            for (Path p : names.sorted().toList()) {
                get(p.getFileName().toString()).ifPresent(out::add);
            }
        }
        return out;
    }

    /** The ids of the containers (in any state) that record a mount of this volume. */
    public List<String> users(String name) throws IOException {
        Path containers = root.resolve("containers");
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(containers)) {
            return ids;
        }
        try (Stream<Path> dirs = Files.list(containers)) {
            for (Path c : dirs.sorted().toList()) {
                if (ContainerMounts.read(c).stream().anyMatch(m -> m.type().equals("volume") && m.name().equals(name))) {
                    ids.add(c.getFileName().toString());
                }
            }
        }
        return ids;
    }

    /** Deletes a volume and its content (nothing followed out of it). The caller checks {@link #users} first. */
    public void remove(String name) throws IOException {
        Path volume = dir.resolve(checked(name));
        try (Stream<Path> tree = Files.walk(volume)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Docker's copy-up: an empty volume gets what the image has at its mount point, owners, modes,
     * links and attributes kept ({@code cp -a}, which follows no link inside).
     *
     * @param imagePath the mount point in the container's root, reached without a symlink
     */
    public static void seed(Path data, Path imagePath) throws IOException {
        if (!Files.isDirectory(imagePath, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> inData = Files.list(data); Stream<Path> inImage = Files.list(imagePath)) {
            if (inData.findAny().isPresent() || inImage.findAny().isEmpty()) {
                return;
            }
        }
        Processes.run("cp", "-a", "--", imagePath + "/.", data + "/");
    }

    private static String checked(String name) {
        if (!Volume.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid volume name " + name + ": expected " + Volume.NAME.pattern());
        }
        return name;
    }
}
