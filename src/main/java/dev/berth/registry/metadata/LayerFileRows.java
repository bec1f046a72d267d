package dev.berth.registry.metadata;

import dev.berth.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The layer browser's remembered listings, in plain SQL: {@code layer_file_indexes} (which layers
 * were listed, or why one could not be) and {@code layer_files} (each listed layer's entries in
 * archive order). A listing is written in one transaction while its layer streams past, 1,000 rows
 * per batch, so neither the layer nor its listing is held in memory whole. Rows belong to the blob
 * (by digest), not to a repository; the primary keys settle two servers listing one layer at once.
 */
@Component
public class LayerFileRows {

    private static final int BATCH = 1000;
    /** The width of {@code layer_file_indexes.failure}. */
    private static final int MAX_FAILURE = 500;
    private static final String INSERT = """
            INSERT INTO layer_files (layer_digest, ordinal, path, kind, size_bytes, mode, uid, gid, link_target, content_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** One entry of a listing; {@code kind} is the UI's name for it. */
    public record Row(String path, String kind, long size, int mode, long uid, long gid, String linkTarget, String contentHash) {
    }

    /** What is recorded of a layer: how many entries it was listed with, or why it could not be (then null if listed). */
    public record Recorded(long entryCount, String failure) {
    }

    /** Streams a layer's rows into a listing; returns how many it gave. */
    @FunctionalInterface
    public interface RowSource {
        long writeTo(Consumer<Row> sink) throws IOException;
    }

    private final JdbcTemplate jdbc;
    private final Transactions transactions;

    LayerFileRows(JdbcTemplate jdbc, Transactions transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Empty when the layer was never listed. */
    public Optional<Recorded> recorded(Digest layer) {
        return jdbc.query("SELECT entry_count, failure FROM layer_file_indexes WHERE layer_digest = ?",
                (rs, i) -> new Recorded(rs.getLong(1), rs.getString(2)), layer.toString()).stream().findFirst();
    }

    /** The listing's rows in archive order (none for a layer never listed). */
    public List<Row> rows(Digest layer) {
        return jdbc.query("""
                SELECT path, kind, size_bytes, mode, uid, gid, link_target, content_hash FROM layer_files
                WHERE layer_digest = ? ORDER BY ordinal""",
                (rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4), rs.getLong(5), rs.getLong(6),
                        rs.getString(7), rs.getString(8)),
                layer.toString());
    }

    /**
     * Writes the layer's listing from {@code source}, all of it or nothing: a source that fails
     * leaves no row, and its failure is thrown as it came.
     *
     * @return the number of rows; empty when another server had written this layer's listing first
     */
    public OptionalLong write(Digest layer, Instant listedAt, RowSource source) throws IOException {
        String key = layer.toString();
        try {
            return OptionalLong.of(transactions.inTransaction(() -> {
                List<Object[]> batch = new ArrayList<>(BATCH);
                int[] ordinal = {0};
                long count;
                try {
                    count = source.writeTo(row -> {
                        batch.add(new Object[] {key, ordinal[0]++, row.path(), row.kind(), row.size(), row.mode(), row.uid(),
                                row.gid(), row.linkTarget(), row.contentHash()});
                        if (batch.size() == BATCH) {
                            jdbc.batchUpdate(INSERT, batch);
                            batch.clear();
                        }
                    });
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (!batch.isEmpty()) {
                    jdbc.batchUpdate(INSERT, batch);
                }
                jdbc.update("INSERT INTO layer_file_indexes (layer_digest, entry_count, indexed_at, failure) VALUES (?, ?, ?, NULL)",
                        key, count, Timestamp.from(listedAt));
                return count;
            }));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (DuplicateKeyException e) {
            return OptionalLong.empty();
        }
    }

    /** Records why the layer cannot be listed, so that it is not read again; a record already there stays. */
    public void recordFailure(Digest layer, Instant at, String reason) {
        int end = Math.min(reason.length(), MAX_FAILURE);
        String failure = reason.substring(0, end > 0 && Character.isHighSurrogate(reason.charAt(end - 1)) ? end - 1 : end);
        try {
            jdbc.update("INSERT INTO layer_file_indexes (layer_digest, entry_count, indexed_at, failure) VALUES (?, 0, ?, ?)",
                    layer.toString(), Timestamp.from(at), failure);
        } catch (DuplicateKeyException ignored) {
            // recorded by another server first
        }
    }
}
