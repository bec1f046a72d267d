package dev.berth.runtime.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A container's place on a network, {@code ROOT/containers/<id>/network.json}: written before
 * anything is set up, so that a teardown knows what to undo however far the set-up came.
 *
 * @param ports   the published ports, host ports chosen already (a restart keeps them)
 * @param address its address on the network; "" until it has one, and while it is not running
 */
public record NetworkAttachment(String network, List<PortMapping> ports, String address) {

    static final String FILE = "network.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public NetworkAttachment {
        ports = List.copyOf(ports);
    }

    NetworkAttachment at(String newAddress) {
        return new NetworkAttachment(network, ports, newAddress);
    }

    void write(Path containerDir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("network", network).put("address", address);
        ports.forEach(p -> n.withArray("ports").add(p.toString()));
        Path tmp = containerDir.resolve(FILE + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
        Files.move(tmp, containerDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The container's attachment; empty for containers on {@code none} or {@code host}. */
    public static Optional<NetworkAttachment> in(Path containerDir) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(containerDir.resolve(FILE));
        } catch (NoSuchFileException none) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            List<PortMapping> ports = new ArrayList<>();
            n.path("ports").forEach(p -> ports.add(PortMapping.parse(p.asString())));
            return Optional.of(new NetworkAttachment(n.path("network").asString(), ports, n.path("address").asString()));
        } catch (JacksonException | IllegalArgumentException e) {
            throw new IllegalStateException("unreadable network attachment " + containerDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }
}
