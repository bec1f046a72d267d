package dev.berth.registry.gc;

import dev.berth.content.ContentStore;
import dev.berth.content.FileContentStore;
import dev.berth.content.SpaceGuard;
import dev.berth.registry.RegistryProperties;
import dev.berth.registry.auth.PasswordReset;
import dev.berth.registry.metadata.FsckRows;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code berth fsck}, offline: a Spring context with no web server, made of the settings of
 * {@code berth serve} (the same application.yml files, environment and {@code --name=value}
 * arguments), opened the way {@code berth admin reset-password} opens it ({@link PasswordReset}):
 * an H2 database must exist (and admits one process, so the server must be stopped), PostgreSQL is
 * used as it is. No migration runs. The blob store is the server's, on the same data directory.
 */
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
        SpringApplication app = new SpringApplication(FsckContext.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        app.setDefaultProperties(Map.of("logging.level.root", "warn"));
        app.addInitializers(context -> PasswordReset.onlyAnExistingH2Database(context.getEnvironment()));
        // Spring's and the pool's log lines go to stderr: stdout carries the findings alone.
        PrintStream stdout = System.out;
        System.setOut(System.err);
        String url = "";
        try (ConfigurableApplicationContext context = app.run(springArguments.toArray(String[]::new))) {
            url = context.getEnvironment().getProperty("spring.datasource.url", "");
            Path dataDir = context.getBean(RegistryProperties.class).dataDir().toAbsolutePath().normalize();
            if (!Files.isDirectory(dataDir.resolve("blobs"))) {
                throw new IllegalStateException("no Berth data at " + dataDir + " (it has no blobs/): give the data directory"
                        + " (--data-dir) that berth serve uses");
            }
            FsckRows rows = context.getBean(FsckRows.class);
            rows.blobRowCount(); // the database answers, and has Berth's tables, before anything is read or removed
            // As registry.storage.BlobStorage opens it: uploads are staged in uploads/.
            ContentStore store = new FileContentStore(dataDir, new FileContentStore.Settings("uploads", SpaceGuard.NONE, false));
            FsckReport report = new Fsck(rows, store, dataDir, Clock.systemUTC()).run(repair, finding -> {
                out.println(finding);
                out.flush();
            });
            out.println(report.summary());
            out.flush();
            return report.allWell() ? 0 : PROBLEMS_FOUND;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the data directory: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(PasswordReset.describe(e, url), e);
        } finally {
            System.setOut(stdout);
        }
    }
}
