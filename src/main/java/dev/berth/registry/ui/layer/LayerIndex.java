package dev.berth.registry.ui.layer;

import dev.berth.layer.LayerReadException;
import dev.berth.oci.Digest;
import dev.berth.registry.storage.BlobStore;
import dev.berth.registry.ui.layer.LayerEntry.EntryKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The remembered file listing of each layer. A layer is read the first time someone looks at it:
 * its blob streams through {@link LayerListing} once and the entries go to the database in
 * batches, so neither the layer nor its listing is ever held in memory whole. A layer the reader
 * refuses or cannot read is remembered with the reason, in the words {@code berth pull} uses for
 * the same bytes.
 */
@Component
public class LayerIndex {

    private static final Logger log = LoggerFactory.getLogger(LayerIndex.class);
    private static final int BATCH = 1000;
    private static final String INSERT = """
            insert into layer_files (layer_digest, ordinal, path, kind, size_bytes, mode, uid, gid, link_target, content_hash)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcTemplate jdbc;
    private final BlobStore blobs;
    private final TransactionTemplate transaction;
    private final Clock clock;
    /** One indexer per layer at a time in this process; the primary key settles races between processes. */
    private final ConcurrentMap<Digest, Object> locks = new ConcurrentHashMap<>();

    LayerIndex(JdbcTemplate jdbc, BlobStore blobs, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.blobs = blobs;
        this.transaction = new TransactionTemplate(transactions);
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
        return jdbc.query("""
                select path, kind, size_bytes, mode, uid, gid, link_target, content_hash from layer_files
                where layer_digest = ? order by ordinal""",
                (rs, i) -> new LayerEntry(rs.getString(1), EntryKind.valueOf(rs.getString(2)), rs.getLong(3), rs.getInt(4),
                        rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getString(8)),
                layer.toString());
    }

    /** Reads the layer blob into the index unless that was done before; fails if it cannot be read. */
    public void ensureIndexed(Digest layer) {
        Optional<String> failure = state(layer);
        if (failure == null) {
            synchronized (locks.computeIfAbsent(layer, d -> new Object())) {
                try {
                    failure = state(layer);
                    if (failure == null) {
                        failure = index(layer);
                    }
                } finally {
                    locks.remove(layer);
                }
            }
        }
        if (failure.isPresent()) {
            throw new UnreadableLayerException(layer, failure.get());
        }
    }

    /** null when never indexed; empty when indexed; the failure when it could not be. */
    private Optional<String> state(Digest layer) {
        List<Optional<String>> rows = jdbc.query("select failure from layer_file_indexes where layer_digest = ?",
                (rs, i) -> Optional.ofNullable(rs.getString(1)), layer.toString());
        return rows.isEmpty() ? null : rows.get(0);
    }

    private Optional<String> index(Digest layer) {
        Path file = blobs.find(layer).orElseThrow(() -> new UnreadableLayerException(layer, "the layer blob is not stored"));
        long started = System.nanoTime();
        try {
            long count = transaction.execute(status -> {
                try (InputStream in = Files.newInputStream(file)) {
                    return store(layer, in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            log.info("indexed layer {}: {} entries in {} ms", layer, count, (System.nanoTime() - started) / 1_000_000);
            return Optional.empty();
        } catch (DuplicateKeyException e) {
            return Optional.ofNullable(state(layer)).orElse(Optional.empty()); // another process indexed it first
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof LayerReadException unreadable) {
                log.warn("cannot index layer {}: {}", layer, unreadable.getMessage());
                recordFailure(layer, unreadable.getMessage());
                return Optional.of(unreadable.getMessage());
            }
            // The blob file, not the layer: nothing is remembered, the next look tries again.
            log.warn("cannot read layer blob {}: {}", layer, e.getCause().toString());
            throw new UnreadableLayerException(layer, "the layer blob could not be read (" + e.getCause().getMessage() + ")");
        }
    }

    private long store(Digest layer, InputStream in) throws IOException {
        String key = layer.toString();
        List<Object[]> batch = new ArrayList<>(BATCH);
        int[] ordinal = {0};
        long count = LayerListing.read(in, e -> {
            batch.add(new Object[] {key, ordinal[0]++, e.path(), e.kind().name(), e.size(), e.mode(), e.uid(), e.gid(), e.linkTarget(), e.contentHash()});
            if (batch.size() == BATCH) {
                jdbc.batchUpdate(INSERT, batch);
                batch.clear();
            }
        });
        if (!batch.isEmpty()) {
            jdbc.batchUpdate(INSERT, batch);
        }
        jdbc.update("insert into layer_file_indexes (layer_digest, entry_count, indexed_at, failure) values (?, ?, ?, null)",
                key, count, Timestamp.from(clock.instant()));
        return count;
    }

    private void recordFailure(Digest layer, String reason) {
        try {
            jdbc.update("insert into layer_file_indexes (layer_digest, entry_count, indexed_at, failure) values (?, 0, ?, ?)",
                    layer.toString(), Timestamp.from(clock.instant()), reason.length() > 500 ? reason.substring(0, 500) : reason);
        } catch (DuplicateKeyException ignored) {
            // recorded by another process
        }
    }
}
