package dev.berth.registry.metadata;

import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** GC's recorded runs ({@code gc_runs}, see V11__gc_runs.sql). */
@Component
public class GcRunRows {

    /** One run that took at least one review. */
    public record GcRun(Instant started, Instant finished, int reviews, int blobsDeleted, int manifestsDeleted, long bytesFreed) {
    }

    private final JdbcTemplate jdbc;

    GcRunRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(GcRun run) {
        jdbc.update("""
                INSERT INTO gc_runs (started_at, finished_at, reviews, blobs_deleted, manifests_deleted, bytes_freed)
                VALUES (?, ?, ?, ?, ?, ?)""", BlobRecords.timestamp(run.started()), BlobRecords.timestamp(run.finished()),
                run.reviews(), run.blobsDeleted(), run.manifestsDeleted(), run.bytesFreed());
    }

    /** The latest runs, newest first. */
    public List<GcRun> recent(int limit) {
        return jdbc.query("""
                SELECT started_at, finished_at, reviews, blobs_deleted, manifests_deleted, bytes_freed FROM gc_runs
                ORDER BY started_at DESC, id DESC LIMIT ?""",
                (rs, i) -> new GcRun(Timestamps.instant(rs, 1), Timestamps.instant(rs, 2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                        rs.getLong(6)), limit);
    }
}
