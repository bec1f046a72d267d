package dev.berth.registry.gc;

import dev.berth.content.ContentStore;
import dev.berth.registry.metadata.FsckRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The consistency check of a registry's data: blob files against blob rows
 * ({@link FsckBlobFiles}), manifests against what they point at ({@link FsckReferences}), upload
 * sessions against their staged bytes ({@link FsckUploads}). With {@code repair} it removes what
 * nothing needs (orphan blob files, stray files under {@code blobs/}, upload leftovers) and
 * nothing else: lost or damaged data is reported, never "repaired" away.
 */
public final class Fsck {

    /** Files written this recently may belong to a push in progress: not removed, staged bytes not reported. */
    static final Duration RECENT = Duration.ofMinutes(10);

    private final FsckRows rows;
    private final ContentStore store;
    private final Path blobs;
    private final Clock clock;

    /** @param dataDir the data directory whose {@code blobs/} the store keeps */
    public Fsck(FsckRows rows, ContentStore store, Path dataDir, Clock clock) {
        this.rows = rows;
        this.store = store;
        this.blobs = dataDir.toAbsolutePath().normalize().resolve("blobs");
        this.clock = clock;
    }

    /** Runs every check; each finding goes to {@code sink} as it is found. */
    public FsckReport run(boolean repair, Consumer<FsckFinding> sink) throws IOException {
        if (!Files.isDirectory(blobs)) {
            throw new IOException("no blob store at " + blobs);
        }
        FsckReport report = new FsckReport(sink);
        Instant recent = clock.instant().minus(RECENT);
        new FsckBlobFiles(rows, store, blobs, recent, repair, report).check();
        new FsckReferences(rows, report).check();
        new FsckUploads(rows, store, recent, repair, report).check();
        return report;
    }
}
