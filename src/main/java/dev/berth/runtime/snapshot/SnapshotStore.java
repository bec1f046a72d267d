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
 * directory, checked against its diff id, then renamed into place; images that share a base share
 * its snapshots. Chain ids are the OCI ones: {@code chain(1) = diff(1)},
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
                unpack(layers.get(i), diffIds.get(i), snapshot, content);
            }
            out.add(snapshot);
        }
        return out;
    }

    private void unpack(Descriptor layer, Digest diffId, Path snapshot, ContentStore content) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("tmp-" + UUID.randomUUID());
        Files.createDirectory(tmp);
        try {
            Digest actual;
            try (InputStream in = content.open(layer.digest())) {
                actual = unpacker.unpack(in, tmp);
            }
            if (!actual.equals(diffId)) {
                throw new IllegalStateException("layer " + layer.digest() + " unpacks to " + actual
                        + ", but the image config says " + diffId + "; refused");
            }
            try {
                Files.move(tmp, snapshot);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                // Another berth unpacked the same layer first: its copy is as good as ours.
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("layer " + layer.digest() + ": " + e.getMessage(), e);
        } finally {
            deleteTree(tmp);
        }
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
