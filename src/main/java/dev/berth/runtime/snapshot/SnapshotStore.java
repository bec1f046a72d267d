package dev.berth.runtime.snapshot;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.runtime.content.ContentStore;
import dev.berth.runtime.unpack.LayerUnpacker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Unpacked layers, one directory per layer chain ({@code ROOT/snapshots/<chain id hex>}), each in
 * the form overlayfs takes as a lower directory. A layer is unpacked once into a temporary
 * directory, checked against its diff id, then renamed into place, with its unpacked size in
 * {@code <chain id hex>.size} beside it; images that share a base share its snapshots. Chain ids are the OCI ones: {@code chain(1) = diff(1)},
 * {@code chain(n) = sha256(chain(n-1) + " " + diff(n))}.
 */
public final class SnapshotStore {

    private final Path dir;
    private final LayerUnpacker unpacker;

    public SnapshotStore(Path root, LayerUnpacker unpacker) {
        this.dir = root.toAbsolutePath().normalize().resolve("snapshots");
        this.unpacker = unpacker;
    }

    public static List<Digest> chainIds(List<Digest> diffIds) {
        List<Digest> out = new ArrayList<>(diffIds.size());
        Digest previous = null;
        for (Digest diffId : diffIds) {
            previous = previous == null ? diffId
                    : Digest.sha256((previous + " " + diffId).getBytes(StandardCharsets.US_ASCII));
            out.add(previous);
        }
        return out;
    }

    public Path path(Digest chainId) {
        return dir.resolve(chainId.hex());
    }

    /**
     * The snapshot directories of an image, bottom layer first, unpacking the ones not there yet.
     *
     * @param layers  the manifest's layer descriptors (blobs in {@code content})
     * @param diffIds the config's {@code rootfs.diff_ids}, one per layer
     */
    public List<Path> prepare(List<Descriptor> layers, List<Digest> diffIds, ContentStore content) throws IOException {
        if (layers.size() != diffIds.size()) {
            throw new IllegalArgumentException(layers.size() + " layers but " + diffIds.size() + " diff ids");
        }
        List<Digest> chain = chainIds(diffIds);
        List<Path> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Path snapshot = path(chain.get(i));
            if (!Files.isDirectory(snapshot)) {
                unpack(layers.get(i), diffIds.get(i), chain.get(i), content);
            }
            out.add(snapshot);
        }
        return out;
    }

    private void unpack(Descriptor layer, Digest diffId, Digest chainId, ContentStore content) throws IOException {
        try (PendingSnapshot pending = begin(chainId); InputStream in = content.open(layer.digest())) {
            pending.unpack(layer.digest(), in); // its failures name the layer
            pending.commit(diffId, layer.digest().toString());
        }
    }

    public boolean has(Digest chainId) {
        return Files.isDirectory(path(chainId));
    }

    /** A temporary directory to unpack the layer of this chain into; see {@link PendingSnapshot}. */
    public PendingSnapshot begin(Digest chainId) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createDirectory(dir.resolve("tmp-" + UUID.randomUUID()));
        return new PendingSnapshot(this, chainId, tmp, unpacker);
    }

    /**
     * The snapshot's unpacked size, as recorded when it was unpacked ({@code <chain id hex>.size});
     * for a snapshot unpacked before sizes were recorded, counted once from its files and recorded.
     */
    public long size(Digest chainId) throws IOException {
        Path file = sizeFile(chainId);
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (java.nio.file.NoSuchFileException | NumberFormatException missing) {
            long size = SnapshotSize.count(path(chainId));
            writeSize(chainId, size);
            return size;
        }
    }

    void writeSize(Digest chainId, long size) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("tmp-" + UUID.randomUUID() + ".size");
        Files.writeString(tmp, Long.toString(size));
        Files.move(tmp, sizeFile(chainId), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private Path sizeFile(Digest chainId) {
        return dir.resolve(chainId.hex() + ".size");
    }

    /** The chain ids of the snapshots present. */
    public Set<Digest> list() {
        Set<Digest> out = new TreeSet<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.map(p -> "sha256:" + p.getFileName()).filter(Digest::looksLikeDigest).forEach(d -> out.add(Digest.of(d)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public void remove(Digest chainId) throws IOException {
        Files.deleteIfExists(sizeFile(chainId));
        Path snapshot = path(chainId);
        Path doomed = dir.resolve("rm-" + UUID.randomUUID());
        try {
            Files.move(snapshot, doomed);
        } catch (java.nio.file.NoSuchFileException gone) {
            return;
        }
        deleteTree(doomed);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
