package dev.berth.runtime.network;

import dev.berth.runtime.sys.Processes;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The networks under {@code ROOT/networks}: the default one ({@code bridge}, made on first use, on
 * the bridge {@code berth0}) and user networks ({@code network create}, on {@code br-<id>}). A
 * network's bridge and rules are made when a container first needs them (also after a reboot) and
 * go with {@code network rm}. Changes to one network hold its lock file.
 */
public final class Networks {

    public static final String DEFAULT = "bridge";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}");
    private static final Subnet USER_SUBNETS = Subnet.parse("10.78.0.0/15"); // carved into /24s

    private final Path dir;

    public Networks(Path root) {
        this.dir = root.toAbsolutePath().normalize().resolve("networks");
    }

    Path containersDir() {
        return dir.getParent().resolve("containers");
    }

    Path dir(String name) {
        return dir.resolve(name);
    }

    /** The network by name ("bridge": the default one, made now if it is not yet). */
    public Optional<Network> get(String name) throws IOException {
        if (name.equals(DEFAULT)) {
            return Optional.of(defaultNetwork());
        }
        if (!NAME.matcher(name).matches() || !Files.isRegularFile(dir(name).resolve(Network.FILE))) {
            return Optional.empty();
        }
        return Optional.of(Network.read(dir(name)));
    }

    public List<Network> list() throws IOException {
        List<Network> out = new ArrayList<>();
        out.add(defaultNetwork());
        try (Stream<Path> dirs = Files.list(dir)) {
            for (Path d : dirs.sorted().toList()) {
                String name = d.getFileName().toString(); // ".default-*": the default network's record being made
                if (!name.equals(DEFAULT) && !name.startsWith(".") && Files.isRegularFile(d.resolve(Network.FILE))) {
                    out.add(Network.read(d));
                }
            }
        }
        return out;
    }

    /** {@code network create}: @param subnet null for the next free /24 of 10.78.0.0/15 */
    public Network create(String name, Subnet subnet) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid network name " + name + ": expected [a-zA-Z0-9][a-zA-Z0-9_.-]*");
        }
        if (List.of(DEFAULT, "host", "none").contains(name)) {
            throw new IllegalArgumentException("network name " + name + " is reserved");
        }
        defaultNetwork();
        Path d = dir(name);
        try {
            Files.createDirectory(d);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("network with name " + name + " already exists");
        }
        // The networks' own lock, not this one's: two creates at once must not both pick one free subnet.
        try (FileChannel creating = locked(dir.resolve("create.lock")); FileChannel lock = lock(name)) {
            List<Subnet> taken = taken(name);
            if (subnet != null) {
                for (Subnet t : taken) {
                    if (t.overlaps(subnet)) {
                        throw new IllegalArgumentException("invalid subnet " + subnet + ": it overlaps " + t + ", in use on this host");
                    }
                }
            } else {
                subnet = free(taken);
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String id = HexFormat.of().formatHex(random);
            Network network = new Network(name, id, "br-" + id.substring(0, 12), subnet, Instant.now(), true);
            network.write(d);
            return network;
        } catch (IOException | RuntimeException e) {
            deleteTree(d);
            throw e;
        }
    }

    /** A container on a network: its address there. */
    public record Endpoint(String containerId, String containerName, String address) {
    }

    /** The containers on the network now. */
    public List<Endpoint> endpoints(Network network) throws IOException {
        return new AddressLeases(dir(network.name())).live(containersDir()).stream()
                .map(l -> new Endpoint(l.containerId(), l.containerName(), l.address())).toList();
    }

    /** {@code network rm}: refused while a container is attached; the bridge and its rules go. */
    public void remove(String name) throws IOException {
        if (name.equals(DEFAULT)) {
            throw new IllegalArgumentException(DEFAULT + " is a pre-defined network and cannot be removed");
        }
        Network network = get(name).orElseThrow(() -> new IllegalArgumentException("network " + name + " not found"));
        try (FileChannel lock = lock(name)) {
            List<AddressLeases.Lease> users = new AddressLeases(dir(name)).live(containersDir());
            if (!users.isEmpty()) {
                throw new IllegalStateException("error while removing network: network " + name + " id " + network.id()
                        + " has active endpoints (" + String.join(", ", users.stream().map(AddressLeases.Lease::containerName).toList()) + ")");
            }
            down(network);
            Files.delete(dir(name).resolve(Network.FILE)); // gone for everyone from here on
        }
        deleteTree(dir(name));
    }

    /** The network's lock file, locked (closing it lets go); changes to its bridge, leases and hosts files happen under it. */
    FileChannel lock(String name) throws IOException {
        return locked(dir(name).resolve("lock"));
    }

    private static FileChannel locked(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            channel.lock();
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The bridge with its address and rules; made unless it exists (first use, or after a reboot). Under the lock. */
    void up(Network network) throws IOException {
        if (Files.exists(Path.of("/sys/class/net", network.bridge()))) {
            return;
        }
        Processes.run("ip", "link", "add", network.bridge(), "type", "bridge");
        Processes.run("ip", "addr", "add", network.subnet().gateway() + "/" + network.subnet().prefix(), "dev", network.bridge());
        Processes.run("ip", "link", "set", network.bridge(), "up");
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");
        // Published ports on 127.0.0.1 are DNATed to the bridge: the kernel must route loopback sources there.
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf", network.bridge(), "route_localnet"), "1");
        Iptables.ensureChains();
        String br = network.bridge();
        String tag = network.ruleTag();
        Iptables.removeTagged(tag); // left over from a bridge that went without its rules (ip link del by hand)
        Iptables.append("nat", "POSTROUTING", tag, "-s", network.subnet().toString(), "!", "-o", br, "-j", "MASQUERADE");
        Iptables.append("nat", "POSTROUTING", tag, "-s", "127.0.0.0/8", "-o", br, "-j", "MASQUERADE");
        Iptables.append("filter", Iptables.ISOLATION_1, tag, "-i", br, "!", "-o", br, "-j", Iptables.ISOLATION_2);
        Iptables.append("filter", Iptables.ISOLATION_2, tag, "-o", br, "-j", "DROP");
        Iptables.append("filter", Iptables.FORWARD_CHAIN, tag, "-i", br, "-j", "ACCEPT");
        Iptables.append("filter", Iptables.FORWARD_CHAIN, tag, "-o", br, "-j", "ACCEPT");
    }

    private static void down(Network network) throws IOException {
        if (Files.exists(Path.of("/sys/class/net", network.bridge()))) {
            Processes.run("ip", "link", "delete", network.bridge());
        }
        Iptables.removeTagged(network.ruleTag());
    }

    /**
     * The default network, recorded on first use: bridge {@code berth0} on 10.77.0.0/16, or what
     * BERTH_DEFAULT_BRIDGE and BERTH_DEFAULT_SUBNET say then (tests use their own bridge on a shared VM).
     */
    private Network defaultNetwork() throws IOException {
        Path d = dir(DEFAULT);
        if (Files.isRegularFile(d.resolve(Network.FILE))) {
            return Network.read(d);
        }
        Files.createDirectories(dir);
        String bridge = System.getenv().getOrDefault("BERTH_DEFAULT_BRIDGE", "berth0");
        Subnet subnet = Subnet.parse(System.getenv().getOrDefault("BERTH_DEFAULT_SUBNET", "10.77.0.0/16"));
        Network network = new Network(DEFAULT, "0".repeat(64), bridge, subnet, Instant.now(), false);
        Path tmp = Files.createTempDirectory(dir, ".default-");
        network.write(tmp);
        try {
            Files.move(tmp, d, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException lost) { // another berth recorded it first
            deleteTree(tmp);
        }
        return Network.read(d);
    }

    /** Subnets of the other networks here and of the host's routes (other roots', docker's, podman's). */
    private List<Subnet> taken(String except) throws IOException {
        List<Subnet> taken = new ArrayList<>();
        for (Network n : list()) {
            if (!n.name().equals(except)) {
                taken.add(n.subnet());
            }
        }
        for (String line : Processes.output("ip", "-4", "-o", "route", "show").split("\n")) {
            String first = line.trim().split("\\s+")[0];
            if (first.matches("[0-9.]+/[0-9]+")) {
                taken.add(Subnet.covering(first));
            }
        }
        return taken;
    }

    private static Subnet free(List<Subnet> taken) {
        for (int i = 0; i < 1 << (24 - USER_SUBNETS.prefix()); i++) {
            Subnet candidate = new Subnet(USER_SUBNETS.network() + (i << 8), 24);
            if (taken.stream().noneMatch(candidate::overlaps)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free subnet left in " + USER_SUBNETS + ": give one with --subnet");
    }

    static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(d)) {
            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
