package dev.berth.runtime.image;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The local image index, {@code ROOT/images.json}: reference → manifest digest and what the
 * runtime needs to know of it. Updates hold a file lock ({@code images.lock}) and replace the file
 * atomically, so concurrent {@code berth} processes never lose or tear a record.
 */
public final class ImageStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final Path lock;

    public ImageStore(Path root) {
        Path r = root.toAbsolutePath().normalize();
        this.file = r.resolve("images.json");
        this.lock = r.resolve("images.lock");
    }

    public List<ImageRecord> list() {
        return locked(records -> records);
    }

    public Optional<ImageRecord> find(ImageReference reference) {
        return list().stream().filter(r -> r.reference().equals(reference)).findFirst();
    }

    /**
     * An image by reference, or else by image id (the config digest, whole or a hex prefix of at
     * least 4 characters, as {@code docker rmi} takes it).
     */
    public Optional<ImageRecord> resolve(String text) {
        List<ImageRecord> all = list();
        String id = text.startsWith("sha256:") ? text.substring(7) : text;
        if (id.matches("[a-f0-9]{4,64}")) {
            List<ImageRecord> byId = all.stream().filter(r -> r.id().hex().startsWith(id)).toList();
            if (!byId.isEmpty() && byId.stream().map(ImageRecord::id).distinct().count() == 1) {
                return Optional.of(byId.get(0));
            }
        }
        ImageReference reference;
        try {
            reference = ImageReference.parse(text);
        } catch (RuntimeException notAReference) {
            return Optional.empty();
        }
        return all.stream().filter(r -> r.reference().equals(reference)).findFirst();
    }

    /** Adds the record, replacing one with the same reference. */
    public void put(ImageRecord record) {
        locked(records -> {
            List<ImageRecord> out = new ArrayList<>(records.stream().filter(r -> !r.reference().equals(record.reference())).toList());
            out.add(record);
            return out;
        });
    }

    /** Removes the record of this reference; the images left afterwards are returned. */
    public List<ImageRecord> remove(ImageReference reference) {
        return locked(records -> records.stream().filter(r -> !r.reference().equals(reference)).toList());
    }

    private synchronized List<ImageRecord> locked(UnaryOperator<List<ImageRecord>> change) {
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                List<ImageRecord> before = read();
                List<ImageRecord> after = change.apply(before);
                if (after != before) {
                    write(after);
                }
                return after;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the image index " + file + ": " + e.getMessage(), e);
        }
    }

    private List<ImageRecord> read() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<ImageRecord> out = new ArrayList<>();
        for (JsonNode n : JSON.readTree(Files.readAllBytes(file)).path("images")) {
            List<Descriptor> layers = new ArrayList<>();
            for (JsonNode l : n.path("layers")) {
                layers.add(new Descriptor(MediaType.parse(l.path("mediaType").asString()), Digest.of(l.path("digest").asString()),
                        l.path("size").asLong(), null, null, null));
            }
            String created = n.path("created").asString("");
            out.add(new ImageRecord(ImageReference.parse(n.path("reference").asString()), Digest.of(n.path("resolved").asString()),
                    Digest.of(n.path("manifest").asString()), Digest.of(n.path("config").asString()), layers,
                    created.isEmpty() ? null : Instant.parse(created), n.path("unpackedSize").asLong(-1)));
        }
        return out;
    }

    private void write(List<ImageRecord> records) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode images = root.putArray("images");
        for (ImageRecord r : records) {
            ObjectNode n = images.addObject();
            n.put("reference", r.reference().toString());
            n.put("resolved", r.resolved().toString());
            n.put("manifest", r.manifest().toString());
            n.put("config", r.config().toString());
            n.put("created", r.created() == null ? "" : r.created().toString());
            n.put("unpackedSize", r.unpackedSize());
            ArrayNode layers = n.putArray("layers");
            for (Descriptor l : r.layers()) {
                layers.addObject().put("mediaType", l.mediaType().value()).put("digest", l.digest().toString()).put("size", l.size());
            }
        }
        Path tmp = file.resolveSibling("images.json.tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root)));
            channel.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
