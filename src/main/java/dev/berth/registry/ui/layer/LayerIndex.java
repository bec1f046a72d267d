package dev.berth.registry.ui.layer;

import dev.berth.layer.LayerReadException;
import dev.berth.oci.Digest;
import dev.berth.registry.metadata.LayerFileRows;
import dev.berth.registry.metadata.LayerFileRows.Recorded;
import dev.berth.registry.metadata.LayerFileRows.Row;
import dev.berth.registry.storage.BlobStore;
import dev.berth.registry.ui.layer.LayerEntry.EntryKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The remembered file listing of each layer. A layer is read the first time someone looks at it:
 * its blob streams through {@link LayerListing} once and the entries go to the database in
 * batches ({@link LayerFileRows}), so neither the layer nor its listing is ever held in memory
 * whole. A layer the reader refuses or cannot read is remembered with the reason, in the words
 * {@code berth pull} uses for the same bytes.
 */
@Component
public class LayerIndex {

    private static final Logger log = LoggerFactory.getLogger(LayerIndex.class);

    private final LayerFileRows rows;
    private final BlobStore blobs;
    private final Clock clock;
    /** One indexer per layer at a time in this process; the primary key settles races between processes. */
    private final ConcurrentMap<Digest, Object> locks = new ConcurrentHashMap<>();

    LayerIndex(LayerFileRows rows, BlobStore blobs, Clock clock) {
        this.rows = rows;
        this.blobs = blobs;
        this.clock = clock;
    }

    /**
     * Why a layer has no listing, in one line that names the layer:
     * {@code layer sha256:…: entry ../x: refused: .. climbs out of the layer root}.
     */
    public static final class UnreadableLayerException extends RuntimeException {
        UnreadableLayerException(Digest layer, String reason) {
            super("layer " + layer + ": " + reason);
        }
    }

    /** The layer's entries in archive order, reading the blob first if it was never read. */
    public List<LayerEntry> entries(Digest layer) {
        ensureIndexed(layer);
        return rows.rows(layer).stream().map(LayerIndex::entry).toList();
    }

    /** Reads the layer blob into the index unless that was done before; fails if it cannot be read. */
    public void ensureIndexed(Digest layer) {
        Optional<Recorded> recorded = rows.recorded(layer);
        if (recorded.isEmpty()) {
            synchronized (locks.computeIfAbsent(layer, d -> new Object())) {
                try {
                    recorded = rows.recorded(layer);
                    if (recorded.isEmpty()) {
                        recorded = Optional.of(index(layer));
                    }
                } finally {
                    locks.remove(layer);
                }
            }
        }
        String failure = recorded.get().failure();
        if (failure != null) {
            throw new UnreadableLayerException(layer, failure);
        }
    }

    private Recorded index(Digest layer) {
        Path file = blobs.find(layer).orElseThrow(() -> new UnreadableLayerException(layer, "the layer blob is not stored"));
        long started = System.nanoTime();
        try (InputStream in = Files.newInputStream(file)) {
            OptionalLong count = rows.write(layer, clock.instant(), sink -> LayerListing.read(in, e -> sink.accept(row(e))));
            if (count.isEmpty()) {
                return rows.recorded(layer).orElse(new Recorded(0, null)); // another server listed it first
            }
            log.info("indexed layer {}: {} entries in {} ms", layer, count.getAsLong(), (System.nanoTime() - started) / 1_000_000);
            return new Recorded(count.getAsLong(), null);
        } catch (LayerReadException e) {
            log.warn("cannot index layer {}: {}", layer, e.getMessage());
            rows.recordFailure(layer, clock.instant(), e.getMessage());
            return new Recorded(0, e.getMessage());
        } catch (IOException e) {
            // The blob file, not the layer: nothing is remembered, the next look tries again.
            log.warn("cannot read layer blob {}: {}", layer, e.toString());
            throw new UnreadableLayerException(layer, "the layer blob could not be read (" + e.getMessage() + ")");
        }
    }

    private static Row row(LayerEntry e) {
        return new Row(e.path(), e.kind().name(), e.size(), e.mode(), e.uid(), e.gid(), e.linkTarget(), e.contentHash());
    }

    private static LayerEntry entry(Row r) {
        return new LayerEntry(r.path(), EntryKind.valueOf(r.kind()), r.size(), r.mode(), r.uid(), r.gid(), r.linkTarget(),
                r.contentHash());
    }
}
