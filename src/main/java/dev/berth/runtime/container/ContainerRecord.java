package dev.berth.runtime.container;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code ROOT/containers/<id>/container.json} says of a container: its name, the image it was
 * made from (the reference and the image id) and the snapshots under its root. The file exists as
 * long as the container does, running or exited and not removed, so {@code rmi} can tell which
 * images and snapshots containers still use.
 *
 * @param runtime    the OCI runtime binary that runs it (later commands ask the same one), or "" in
 *                   records written before it was kept
 * @param stopSignal the image's StopSignal, or "" for SIGTERM
 * @param restartPolicy {@code run --restart} ("no" in records written before it was kept)
 */
public record ContainerRecord(String id, String name, String reference, Digest image, List<Digest> snapshots,
                              String runtime, String stopSignal, RestartPolicy restartPolicy) {

    static final String FILE = "container.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public ContainerRecord {
        snapshots = List.copyOf(snapshots);
    }

    void write(Path containerDir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id).put("name", name).put("reference", reference).put("image", image.toString());
        n.put("runtime", runtime).put("stopSignal", stopSignal).put("restartPolicy", restartPolicy.toString());
        n.putArray("snapshots").addAll(snapshots.stream().map(d -> JSON.getNodeFactory().stringNode(d.toString())).toList());
        Path tmp = containerDir.resolve(FILE + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
        Files.move(tmp, containerDir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Every container under {@code root} that has a record. */
    public static List<ContainerRecord> list(Path root) {
        Path dir = root.toAbsolutePath().normalize().resolve("containers");
        List<ContainerRecord> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> containers = Files.list(dir)) {
            for (Path c : containers.sorted().toList()) {
                read(c.resolve(FILE)).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the containers in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The record in one container's directory; empty while it is being made or removed. */
    public static java.util.Optional<ContainerRecord> in(Path containerDir) throws IOException {
        return read(containerDir.resolve(FILE));
    }

    private static java.util.Optional<ContainerRecord> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException gone) {
            return java.util.Optional.empty(); // being created or removed
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            List<Digest> snapshots = new ArrayList<>();
            n.path("snapshots").forEach(s -> snapshots.add(Digest.of(s.asString())));
            return java.util.Optional.of(new ContainerRecord(n.path("id").asString(), n.path("name").asString(),
                    n.path("reference").asString(), Digest.of(n.path("image").asString()), snapshots,
                    n.path("runtime").asString(), n.path("stopSignal").asString(),
                    RestartPolicy.parse(n.path("restartPolicy").asString())));
        } catch (JacksonException | IllegalArgumentException e) {
            throw new IllegalStateException("unreadable container record " + file + ": " + e.getMessage(), e);
        }
    }
}
