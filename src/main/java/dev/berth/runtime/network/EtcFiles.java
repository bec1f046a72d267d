package dev.berth.runtime.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code /etc/hosts} and {@code /etc/resolv.conf} of containers on a bridge network. They are
 * bind-mounted files: always rewritten in place (same inode), never replaced by a rename, or the
 * container would keep seeing the old one.
 */
final class EtcFiles {

    private static final String LOCALHOST = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";

    private EtcFiles() {
    }

    /**
     * Rewrites the hosts file of every member of the network: localhost, its own address with its
     * hostname, and on a user network every other member's address with its name.
     *
     * @param joining the container joining now (its own hostname is read from its bundle's hostname file)
     */
    static void rewriteHosts(Path root, Network network, List<AddressLeases.Lease> members, String joining) throws IOException {
        for (AddressLeases.Lease self : members) {
            if (!network.byName() && !self.containerId().equals(joining)) {
                continue; // nobody's hosts file lists the others here
            }
            Path dir = ContainerNetwork.containerDir(root, self.containerId());
            Path hosts = dir.resolve("hosts");
            if (!Files.isRegularFile(hosts)) {
                continue; // being made or removed
            }
            String hostname = Files.isRegularFile(dir.resolve("hostname")) ? Files.readString(dir.resolve("hostname")).strip() : "";
            StringBuilder text = new StringBuilder(LOCALHOST);
            text.append(self.address()).append('\t').append(hostname);
            if (!self.containerName().equals(hostname) && !self.containerName().isEmpty()) {
                text.append(' ').append(self.containerName());
            }
            text.append('\n');
            if (network.byName()) {
                for (AddressLeases.Lease other : members) {
                    if (!other.containerId().equals(self.containerId())) {
                        text.append(other.address()).append('\t').append(other.containerName()).append('\n');
                    }
                }
            }
            Files.writeString(hosts, text); // truncates and writes the same file
        }
    }

    /** The host's resolv.conf without loopback name servers, which mean nothing in the container's namespace. */
    static void resolvConf(Path file) throws IOException {
        Path host = Path.of("/etc/resolv.conf");
        StringBuilder text = new StringBuilder();
        if (Files.isRegularFile(host)) {
            for (String line : Files.readAllLines(host)) {
                String[] words = line.trim().split("\\s+");
                boolean loopback = words.length > 1 && words[0].equals("nameserver")
                        && (words[1].startsWith("127.") || words[1].equals("::1"));
                if (!loopback) {
                    text.append(line).append('\n');
                }
            }
        }
        Files.writeString(file, text);
    }
}
