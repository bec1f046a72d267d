package dev.berth.runtime.network;

import dev.berth.runtime.sys.Processes;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code --network none}: a network namespace of the container's own with only loopback, and
 * loopback up (as docker has it). Made with iproute2's {@code ip netns}, removed after the run.
 */
public final class LoopbackNamespace implements AutoCloseable {

    private final String name;

    private LoopbackNamespace(String name) {
        this.name = name;
    }

    public static LoopbackNamespace create(String name) throws IOException {
        Processes.run("ip", "netns", "add", name);
        LoopbackNamespace ns = new LoopbackNamespace(name);
        try {
            Processes.run("ip", "-n", name, "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public Path path() {
        return Path.of("/run/netns", name);
    }

    @Override
    public void close() throws IOException {
        Processes.run("ip", "netns", "delete", name);
    }
}
