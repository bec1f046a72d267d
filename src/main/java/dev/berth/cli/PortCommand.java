package dev.berth.cli;

import dev.berth.runtime.container.Containers;
import dev.berth.runtime.network.NetworkAttachment;
import dev.berth.runtime.network.PortMapping;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth port CONTAINER [PORT[/PROTO]]}: a running container's published ports as docker
 * prints them, {@code 80/tcp -> 127.0.0.1:8080}, or for one port only {@code 127.0.0.1:8080}.
 */
@Command(name = "port", mixinStandardHelpOptions = true, description = "List a container's published ports.")
final class PortCommand implements Callable<Integer> {

    private static final Comparator<PortMapping> ORDER = Comparator.comparingInt(PortMapping::containerPort)
            .thenComparing(PortMapping::protocol).thenComparing(PortMapping::hostIp).thenComparingInt(PortMapping::hostPort);

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PORT[/PROTO]")
    String port;

    @Override
    public Integer call() throws Exception {
        Containers containers = new Containers(runtime.root());
        String id = containers.resolve(name);
        Containers.Container c = containers.get(id).orElseThrow(() -> new IllegalArgumentException("No such container: " + name));
        List<PortMapping> ports = c.running() ? ports(c.dir()) : List.of();
        PrintWriter out = spec.commandLine().getOut();
        if (port == null) {
            ports.forEach(p -> out.println(p.containerKey() + " -> " + p.hostIp() + ":" + p.hostPort()));
        } else {
            String key = port.contains("/") ? port : port + "/tcp";
            List<PortMapping> matching = ports.stream().filter(p -> p.containerKey().equals(key)).toList();
            if (matching.isEmpty()) {
                throw new IllegalArgumentException("No public port '" + key + "' published for " + name);
            }
            matching.forEach(p -> out.println(p.hostIp() + ":" + p.hostPort()));
        }
        out.flush();
        return 0;
    }

    private static List<PortMapping> ports(Path containerDir) throws IOException {
        return NetworkAttachment.in(containerDir).map(NetworkAttachment::ports).orElse(List.of()).stream().sorted(ORDER).toList();
    }

    /** {@code ps}'s PORTS cell: {@code 127.0.0.1:8080->80/tcp, 0.0.0.0:32768->53/udp}. */
    static String published(Path containerDir) throws IOException {
        return String.join(", ", ports(containerDir).stream().map(PortMapping::display).toList());
    }
}
