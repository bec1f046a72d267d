package dev.berth.runtime.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One network, as {@code ROOT/networks/<name>/network.json} records it: a Linux bridge on a subnet.
 *
 * @param byName true on user networks: its containers find each other by name (docker's default
 *               {@code bridge} network does not do that, neither does berth's)
 */
public record Network(String name, String id, String bridge, Subnet subnet, Instant created, boolean byName) {

    static final String FILE = "network.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    void write(Path dir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", name).put("id", id).put("bridge", bridge).put("subnet", subnet.toString())
                .put("created", created.toString()).put("byName", byName);
        Path tmp = dir.resolve(FILE + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
        Files.move(tmp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    static Network read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(file));
            return new Network(n.path("name").asString(), n.path("id").asString(), n.path("bridge").asString(),
                    Subnet.parse(n.path("subnet").asString()), Instant.parse(n.path("created").asString()),
                    n.path("byName").asBoolean());
        } catch (JacksonException | IllegalArgumentException | java.time.DateTimeException e) {
            throw new IllegalStateException("unreadable network record " + file + ": " + e.getMessage(), e);
        }
    }

    /** The tag of the rules the network's bridge needs ({@link Iptables}). */
    String ruleTag() {
        return "berth-net:" + bridge;
    }
}
