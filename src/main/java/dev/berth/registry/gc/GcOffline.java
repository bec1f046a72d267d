package dev.berth.registry.gc;

import dev.berth.registry.metadata.GcReviews;
import dev.berth.registry.metadata.GcRows;
import dev.berth.registry.metadata.GcRunRows;
import dev.berth.registry.metadata.ManifestRecords;
import dev.berth.registry.metadata.StatsRows;
import dev.berth.registry.metadata.Transactions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code berth gc [--dry-run]}, offline, on the registry {@link OfflineRegistry} opens: one pass of
 * the server's own garbage collector over the reviews due now, or (dry) the same pass rolled back,
 * which says what the next pass would free.
 */
public final class GcOffline {

    private GcOffline() {
    }

    /** Runs (or dry-runs) one pass and prints one line saying what it freed (or would). */
    public static int run(List<String> springArguments, boolean dryRun, PrintWriter out) {
        return OfflineRegistry.run(springArguments, registry -> {
            ConfigurableApplicationContext c = registry.context();
            GarbageCollector gc = new GarbageCollector(c.getBean(GcReviews.class), c.getBean(GcRows.class),
                    c.getBean(ManifestRecords.class), c.getBean(StatsRows.class), c.getBean(Transactions.class), registry.store(),
                    c.getBean(GcProperties.class), Clock.systemUTC(), new SimpleMeterRegistry(), c.getBean(GcRunRows.class));
            GarbageCollector.Run run = dryRun ? gc.dryRun() : gc.runOnce();
            out.println((dryRun ? "would delete " : "deleted ") + run.blobsDeleted() + " blobs (" + run.bytesDeleted() + " bytes) and "
                    + run.manifestsDeleted() + " manifests, from " + run.reviews() + " due reviews");
            out.flush();
            return 0;
        });
    }
}
