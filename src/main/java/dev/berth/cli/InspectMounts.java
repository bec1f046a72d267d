package dev.berth.cli;

import dev.berth.runtime.volume.ContainerMounts;
import dev.berth.runtime.volume.ContainerMounts.Mount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code inspect}'s mount keys, docker's names: {@code HostConfig.Binds} and {@code HostConfig.Tmpfs}
 * (what was asked), and {@code Mounts} (binds and volumes; docker lists no tmpfs there).
 */
final class InspectMounts {

    private InspectMounts() {
    }

    static void add(ObjectNode hostConfig, ObjectNode container, Path containerDir) {
        List<Mount> mounts;
        try {
            mounts = ContainerMounts.read(containerDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ArrayNode binds = hostConfig.putArray("Binds");
        ObjectNode tmpfs = hostConfig.putObject("Tmpfs");
        ArrayNode out = container.putArray("Mounts");
        for (Mount m : mounts) {
            if (m.type().equals("tmpfs")) {
                tmpfs.put(m.destination(), m.mode());
                continue;
            }
            String source = m.type().equals("volume") ? m.name() : m.source();
            binds.add(source + ":" + m.destination() + (m.mode().isEmpty() ? "" : ":" + m.mode()));
            ObjectNode o = out.addObject().put("Type", m.type());
            if (m.type().equals("volume")) {
                o.put("Name", m.name());
            }
            o.put("Source", m.source()).put("Destination", m.destination());
            if (m.type().equals("volume")) {
                o.put("Driver", "local");
            }
            // Docker's Mode: what was given; "z" (its default SELinux relabel) for a volume without one.
            o.put("Mode", m.type().equals("volume") && m.mode().isEmpty() ? "z" : m.mode());
            o.put("RW", m.readWrite()).put("Propagation", m.type().equals("bind") ? "rprivate" : "");
        }
    }
}
