package dev.berth.registry.gc;

import dev.berth.content.ContentStore;
import dev.berth.content.StagingName;
import dev.berth.registry.gc.FsckFinding.Kind;
import dev.berth.registry.metadata.FsckRows;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Upload sessions against their staged bytes ({@code uploads/}): a session without bytes cannot
 * be resumed, and bytes without a session that nobody has written to for {@link Fsck#RECENT}
 * were left by a crash (a whole-blob push stages without a session while it runs, so younger ones
 * are left out). {@code --repair} deletes both, as the stale-upload purge would after
 * {@code berth.uploads.expire-after}.
 */
final class FsckUploads {

    private final FsckRows rows;
    private final ContentStore store;
    private final Instant recent;
    private final boolean repair;
    private final FsckReport report;

    FsckUploads(FsckRows rows, ContentStore store, Instant recent, boolean repair, FsckReport report) {
        this.rows = rows;
        this.store = store;
        this.recent = recent;
        this.repair = repair;
        this.report = report;
    }

    void check() throws IOException {
        Set<String> sessions = new HashSet<>(rows.uploadSessionIds());
        for (String id : sessions) {
            report.uploadSeen();
            boolean staged = StagingName.isValid(id) && store.stagedSize(StagingName.of(id)).isPresent();
            if (staged || !rows.uploadSessionExists(id)) {
                continue;
            }
            FsckFinding finding = FsckFinding.of(Kind.UPLOAD, "upload " + id, "its session is there, its staged bytes are not: it cannot be resumed");
            if (repair) {
                rows.deleteUploadSession(id);
                finding = finding.repaired("session deleted");
            }
            report.found(finding);
        }
        for (StagingName staged : store.stagedUntouchedSince(recent)) {
            if (sessions.contains(staged.value()) || rows.uploadSessionExists(staged.value())) {
                continue;
            }
            FsckFinding finding = FsckFinding.of(Kind.UPLOAD, "staged bytes uploads/" + staged,
                    "no upload session owns them, and nothing has written to them for " + Fsck.RECENT.toMinutes() + " minutes");
            if (repair) {
                store.discard(staged);
                finding = finding.repaired("removed");
            }
            report.found(finding);
        }
    }
}
