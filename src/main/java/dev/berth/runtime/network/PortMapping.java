package dev.berth.runtime.network;

import java.util.Locale;

/**
 * One {@code -p}: {@code [IP:][HOST:]CONTAINER[/tcp|/udp]}, as docker reads it. Host port 0 stands
 * for "a free one", chosen when the container is made ({@link #withHostPort}).
 *
 * @param hostIp "0.0.0.0" for every address of the host
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {

    public PortMapping {
        Subnet.address(hostIp);
        if (hostPort < 0 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("invalid port: ports are 1 to 65535");
        }
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("invalid protocol " + protocol + ": expected tcp or udp");
        }
    }

    public static PortMapping parse(String spec) {
        String rest = spec;
        String protocol = "tcp";
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            protocol = rest.substring(slash + 1).toLowerCase(Locale.ROOT);
            rest = rest.substring(0, slash);
        }
        String[] parts = rest.split(":", -1);
        try {
            return switch (parts.length) {
                case 1 -> new PortMapping("0.0.0.0", 0, port(parts[0], spec), protocol);
                case 2 -> new PortMapping("0.0.0.0", hostPort(parts[0], spec), port(parts[1], spec), protocol);
                case 3 -> new PortMapping(parts[0].isEmpty() ? "0.0.0.0" : parts[0], hostPort(parts[1], spec), port(parts[2], spec), protocol);
                default -> throw new IllegalArgumentException("expected [IP:][HOST:]CONTAINER[/tcp|/udp]");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid port spec " + spec + ": " + e.getMessage());
        }
    }

    private static int hostPort(String s, String spec) {
        return s.isEmpty() ? 0 : port(s, spec);
    }

    private static int port(String s, String spec) {
        if (!s.matches("[0-9]{1,5}") || Integer.parseInt(s) < 1 || Integer.parseInt(s) > 65535) {
            throw new IllegalArgumentException("the port " + (s.isEmpty() ? "is empty" : s + " is not 1 to 65535"));
        }
        return Integer.parseInt(s);
    }

    public PortMapping withHostPort(int port) {
        return new PortMapping(hostIp, port, containerPort, protocol);
    }

    /** docker's {@code ps} form: {@code 127.0.0.1:8080->80/tcp}. */
    public String display() {
        return hostIp + ":" + hostPort + "->" + containerPort + "/" + protocol;
    }

    /** {@code 80/tcp}: the key of {@code berth port}. */
    public String containerKey() {
        return containerPort + "/" + protocol;
    }

    /** {@code IP:HOST:CONTAINER/PROTOCOL}, which {@link #parse} reads back (how it is recorded). */
    @Override
    public String toString() {
        return hostIp + ":" + hostPort + ":" + containerPort + "/" + protocol;
    }
}
