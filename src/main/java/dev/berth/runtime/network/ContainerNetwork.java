package dev.berth.runtime.network;

import dev.berth.runtime.sys.Processes;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container on a bridge network: its network namespace, a veth pair (the host's end {@code
 * vb<id>} on the network's bridge, the other one {@code eth0} inside), an address leased from the
 * network, a DNAT rule per published port (tagged {@code berth:<id>}), and its {@code /etc/hosts}
 * and {@code /etc/resolv.conf} (the bundle's files, bind-mounted, so they are rewritten in place).
 * On a user network every member's hosts file lists the others by name and is rewritten when one
 * joins or leaves: name resolution without a DNS server to run and keep alive.
 */
public final class ContainerNetwork {

    private ContainerNetwork() {
    }

    /** Host port 0 replaced by a free port of the host, as docker's {@code -p CONTAINER} does. */
    public static List<PortMapping> choosePorts(List<PortMapping> ports) throws IOException {
        List<PortMapping> out = new ArrayList<>();
        if (ports.isEmpty()) {
            return out;
        }
        String published = Processes.output("iptables-save", "-t", "nat");
        for (PortMapping p : ports) {
            PortMapping chosen = p.hostPort() != 0 ? p : p.withHostPort(freePort(p));
            for (PortMapping earlier : out) {
                if (earlier.hostPort() == chosen.hostPort() && earlier.protocol().equals(chosen.protocol())) {
                    throw new IllegalArgumentException("port " + chosen.hostPort() + "/" + chosen.protocol() + " is published twice");
                }
            }
            for (String line : published.split("\n")) {
                if (line.startsWith("-A " + Iptables.NAT_CHAIN + " ") && line.contains(" -p " + chosen.protocol() + " ")
                        && line.contains(" --dport " + chosen.hostPort() + " ")) {
                    throw new IllegalStateException("Bind for " + chosen.hostIp() + ":" + chosen.hostPort() + " failed: port is already allocated");
                }
            }
            out.add(chosen);
        }
        return out;
    }

    private static int freePort(PortMapping p) throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName(p.hostIp()), 0);
        if (p.protocol().equals("udp")) {
            try (DatagramSocket s = new DatagramSocket(any)) {
                return s.getLocalPort();
            }
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(any);
            return s.getLocalPort();
        }
    }

    /**
     * Puts the container on its network: called with its bundle written (hosts and resolv.conf in
     * {@code containerDir}), before it runs; again by {@code start}.
     */
    public static void attach(Path root, String id, String name, String hostname, String netns, NetworkAttachment request)
            throws IOException {
        Path containerDir = containerDir(root, id);
        request.at("").write(containerDir);
        Networks networks = new Networks(root);
        Network network = networks.get(request.network())
                .orElseThrow(() -> new IllegalArgumentException("network " + request.network() + " not found"));
        if (!Files.exists(Path.of("/run/netns", netns))) {
            Processes.run("ip", "netns", "add", netns);
        }
        Processes.run("ip", "-n", netns, "link", "set", "lo", "up");
        String veth = veth(id);
        String address;
        try (FileChannel lock = networks.lock(network.name())) {
            networks.up(network);
            address = new AddressLeases(networks.dir(network.name())).take(network.subnet(), id, name, networks.containersDir());
            request.at(address).write(containerDir);
            Processes.run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", netns);
            Processes.run("ip", "link", "set", veth, "master", network.bridge(), "up");
            Processes.run("ip", "-n", netns, "addr", "add", address + "/" + network.subnet().prefix(), "dev", "eth0");
            Processes.run("ip", "-n", netns, "link", "set", "eth0", "up");
            Processes.run("ip", "-n", netns, "route", "add", "default", "via", network.subnet().gateway());
            for (PortMapping p : request.ports()) {
                List<String> rule = new ArrayList<>(List.of("-p", p.protocol()));
                if (!p.hostIp().equals("0.0.0.0")) {
                    rule.addAll(List.of("-d", p.hostIp() + "/32"));
                }
                rule.addAll(List.of("-m", p.protocol(), "--dport", Integer.toString(p.hostPort()),
                        "-j", "DNAT", "--to-destination", address + ":" + p.containerPort()));
                Iptables.append("nat", Iptables.NAT_CHAIN, ruleTag(id), rule.toArray(String[]::new));
            }
            EtcFiles.resolvConf(containerDir.resolve("resolv.conf"));
            EtcFiles.rewriteHosts(root, network, new AddressLeases(networks.dir(network.name())).live(networks.containersDir()), id);
        }
    }

    /**
     * Takes the container off its network; safe to repeat, and what it finds of a set-up that
     * stopped half-way it undoes. The namespace itself is the caller's ({@code ContainerTeardown}).
     */
    public static void detach(Path root, String id) throws IOException {
        Path containerDir = containerDir(root, id);
        var attachment = NetworkAttachment.in(containerDir);
        if (attachment.isEmpty()) {
            return;
        }
        Iptables.removeTagged(ruleTag(id));
        if (Files.exists(Path.of("/sys/class/net", veth(id)))) {
            Processes.run("ip", "link", "delete", veth(id)); // its peer in the namespace goes with it
        }
        Networks networks = new Networks(root);
        var network = networks.get(attachment.get().network());
        if (network.isPresent()) {
            try (FileChannel lock = networks.lock(network.get().name())) {
                AddressLeases leases = new AddressLeases(networks.dir(network.get().name()));
                leases.release(id);
                EtcFiles.rewriteHosts(root, network.get(), leases.live(networks.containersDir()), null);
            }
        }
        if (!attachment.get().address().isEmpty()) {
            attachment.get().at("").write(containerDir);
        }
    }

    static String ruleTag(String id) {
        return "berth:" + id.substring(0, 12);
    }

    static String veth(String id) {
        return "vb" + id.substring(0, 12);
    }

    static Path containerDir(Path root, String id) {
        return root.toAbsolutePath().normalize().resolve("containers").resolve(id);
    }
}
