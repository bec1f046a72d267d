package dev.berth.runtime.network;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A network's addresses in use: one file per address, {@code leases/<A.B.C.D>}, holding the
 * container's id and name. A file is taken with O_EXCL ({@link Files#createFile}), so two
 * containers never get one address; it is taken under the network's lock, so a lease still empty
 * or whose container's directory is gone (a berth killed half-way) is stale and taken back.
 */
final class AddressLeases {

    /** One address in use. */
    record Lease(String address, String containerId, String containerName) {
    }

    private final Path dir;

    AddressLeases(Path networkDir) {
        this.dir = networkDir.resolve("leases");
    }

    /** The first free address of the subnet, now the container's. */
    String take(Subnet subnet, String containerId, String containerName, Path containersDir) throws IOException {
        Files.createDirectories(dir);
        for (int n = 0; ; n++) {
            String address = subnet.host(n).orElseThrow(() -> new IllegalStateException("no free address left in " + subnet));
            Path file = dir.resolve(address);
            try {
                Files.createFile(file);
                Files.writeString(file, containerId + " " + containerName + "\n");
                return address;
            } catch (FileAlreadyExistsException taken) {
                Optional<Lease> holder = read(file);
                if (holder.isPresent() && (holder.get().containerId().isEmpty()
                        || !Files.isDirectory(containersDir.resolve(holder.get().containerId())))) {
                    Files.deleteIfExists(file); // its container is gone: try this address again
                    n--;
                }
            }
        }
    }

    /** Lets go of every address the container holds here. */
    void release(String containerId) throws IOException {
        for (Lease lease : list()) {
            if (lease.containerId().equals(containerId)) {
                Files.deleteIfExists(dir.resolve(lease.address()));
            }
        }
    }

    /** The leases whose containers still exist. */
    List<Lease> live(Path containersDir) throws IOException {
        return list().stream().filter(l -> Files.isDirectory(containersDir.resolve(l.containerId()))).toList();
    }

    List<Lease> list() throws IOException {
        List<Lease> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                read(f).filter(l -> !l.containerId().isEmpty()).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<Lease> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file).strip();
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
        String[] parts = text.split(" ", 2);
        // An empty file is a lease being written: its holder is not known yet, it is not taken back.
        return Optional.of(new Lease(file.getFileName().toString(), parts[0], parts.length > 1 ? parts[1] : ""));
    }
}
