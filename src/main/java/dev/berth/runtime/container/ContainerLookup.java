package dev.berth.runtime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What stands where docker takes a container: its full id, its name ({@code ROOT/names/<name>},
 * a link to its directory), or a prefix of its id that only it has, in that order, as docker
 * resolves them. Anything else is a one-line error naming what was asked for.
 */
public final class ContainerLookup {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,64}");

    private final Path root;

    public ContainerLookup(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** @return the container's full id */
    public String resolve(String idOrName) throws IOException {
        Path containers = root.resolve("containers");
        if (HEX.matcher(idOrName).matches() && idOrName.length() == 64 && Files.isDirectory(containers.resolve(idOrName))) {
            return idOrName;
        }
        if (!idOrName.isEmpty() && !idOrName.contains("/") && !idOrName.startsWith(".")) {
            Path link = root.resolve("names").resolve(idOrName);
            if (Files.isSymbolicLink(link)) {
                String id = Files.readSymbolicLink(link).getFileName().toString();
                if (Files.isDirectory(containers.resolve(id))) {
                    return id;
                }
            }
        }
        if (HEX.matcher(idOrName).matches() && Files.isDirectory(containers)) {
            List<String> matches;
            try (Stream<Path> all = Files.list(containers)) {
                matches = all.map(p -> p.getFileName().toString()).filter(id -> id.startsWith(idOrName)).limit(2).toList();
            }
            if (matches.size() == 1) {
                return matches.get(0);
            }
            if (matches.size() > 1) {
                throw new IllegalArgumentException("multiple containers found with provided prefix: " + idOrName);
            }
        }
        throw new IllegalArgumentException("No such container: " + idOrName);
    }
}
