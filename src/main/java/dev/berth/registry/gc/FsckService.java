package dev.berth.registry.gc;

import dev.berth.content.ContentStore;
import dev.berth.registry.RegistryProperties;
import dev.berth.registry.metadata.FsckRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Service;

/**
 * The fsck check inside the running server, for the admin page: the same checks as
 * {@code berth fsck}, reporting only (no repair beside live pushes), one run at a time per server.
 * What a concurrent push or delete changes while it runs is looked at again before it is reported.
 */
@Service
public class FsckService {

    /** The most findings a page shows; the summary still counts them all. */
    static final int MAX_SHOWN = 1000;

    /** What one check found: the findings (at most {@link #MAX_SHOWN}), whether more were left out, the summary. */
    public record Result(List<FsckFinding> findings, boolean truncated, String summary, boolean allWell) {
    }

    private final FsckRows rows;
    private final ContentStore store;
    private final RegistryProperties properties;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();

    FsckService(FsckRows rows, ContentStore store, RegistryProperties properties, Clock clock) {
        this.rows = rows;
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    /** Runs the check now; refuses while another one runs on this server. */
    public Result check() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("a check is already running on this server");
        }
        try {
            if (properties.storage().type() != RegistryProperties.Storage.Type.FILESYSTEM) {
                throw new IllegalStateException("the storage check reads the blob files of the data directory, and berth.storage.type is "
                        + properties.storage().type().name().toLowerCase(java.util.Locale.ROOT));
            }
            List<FsckFinding> shown = new ArrayList<>();
            FsckReport report = new Fsck(rows, store, properties.dataDir(), clock).run(false, finding -> {
                if (shown.size() < MAX_SHOWN + 1) {
                    shown.add(finding);
                }
            });
            boolean truncated = shown.size() > MAX_SHOWN;
            return new Result(List.copyOf(truncated ? shown.subList(0, MAX_SHOWN) : shown), truncated, report.summary(), report.allWell());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the data directory: " + e.getMessage(), e);
        } finally {
            running.set(false);
        }
    }
}
