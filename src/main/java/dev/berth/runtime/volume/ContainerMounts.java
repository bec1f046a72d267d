package dev.berth.runtime.volume;

import dev.berth.runtime.bundle.RunOptions;
import dev.berth.runtime.bundle.Tmpfs;
import dev.berth.runtime.bundle.Volume;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code ROOT/containers/<id>/mounts.json}: a container's {@code -v} and {@code --tmpfs} mounts,
 * written before a named volume is made, so {@code volume rm} sees every container that uses one.
 */
public final class ContainerMounts {

    static final String FILE = "mounts.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * One mount as {@code inspect} shows it.
     *
     * @param type   "bind", "volume" or "tmpfs"
     * @param name   the volume's name, "" for the others
     * @param source the host path ("" for a tmpfs)
     * @param mode   "ro", "rw" or "" as given; a tmpfs's options
     */
    public record Mount(String type, String name, String source, String destination, String mode) {

        public boolean readWrite() {
            return type.equals("tmpfs") ? !List.of(mode.split(",")).contains("ro") : !mode.equals("ro");
        }
    }

    private ContainerMounts() {
    }

    /** Records the run's mounts; named volumes at the directory {@code volumes} gives them. */
    public static void write(Path containerDir, RunOptions options, Volumes volumes) throws IOException {
        ArrayNode array = JSON.createArrayNode();
        for (Volume v : options.volumes()) {
            array.addObject().put("type", v.named() ? "volume" : "bind").put("name", v.named() ? v.name() : "")
                    .put("source", (v.named() ? volumes.data(v.name()) : v.host()).toString())
                    .put("destination", v.container()).put("mode", v.mode());
        }
        for (Tmpfs t : options.tmpfs()) {
            array.addObject().put("type", "tmpfs").put("name", "").put("source", "").put("destination", t.destination())
                    .put("mode", t.options());
        }
        Path tmp = containerDir.resolve(FILE + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(array));
        Files.move(tmp, containerDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The mounts a container recorded; none for one made before they were recorded. */
    public static List<Mount> read(Path containerDir) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(containerDir.resolve(FILE));
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Mount> mounts = new ArrayList<>();
        for (JsonNode m : JSON.readTree(bytes)) {
            mounts.add(new Mount(m.path("type").asString(), m.path("name").asString(), m.path("source").asString(),
                    m.path("destination").asString(), m.path("mode").asString()));
        }
        return mounts;
    }
}
