package dev.berth.registry.gc;

import dev.berth.registry.metadata.FsckRows;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;

/** {@code berth fsck}, offline, on the registry {@link OfflineRegistry} opens. */
public final class FsckOffline {

    /** Exit code when fsck ran and something is wrong that it did not repair. */
    public static final int PROBLEMS_FOUND = 2;

    private FsckOffline() {
    }

    /**
     * Checks (and with {@code repair} repairs what may be) and prints one line per finding and a
     * summary to {@code out}.
     *
     * @return 0 when all is well (or all is repaired), {@link #PROBLEMS_FOUND} otherwise
     * @throws IllegalStateException with a one-line message when the database or data directory cannot be used
     */
    public static int run(List<String> springArguments, boolean repair, PrintWriter out) {
        return OfflineRegistry.run(springArguments, registry -> {
            FsckRows rows = registry.context().getBean(FsckRows.class);
            FsckReport report = new Fsck(rows, registry.store(), registry.dataDir(), Clock.systemUTC()).run(repair, finding -> {
                out.println(finding);
                out.flush();
            });
            out.println(report.summary());
            out.flush();
            return report.allWell() ? 0 : PROBLEMS_FOUND;
        });
    }
}
