package dev.berth.registry.gc;

import dev.berth.content.ContentStore;
import dev.berth.content.FileContentStore;
import dev.berth.content.SpaceGuard;
import dev.berth.registry.RegistryProperties;
import dev.berth.registry.auth.PasswordReset;
import dev.berth.registry.metadata.FsckRows;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The registry's database and blobs opened for an offline command ({@code berth fsck},
 * {@code berth gc}): a Spring context with no web server, made of the settings of
 * {@code berth serve} (the same application.yml files, environment and {@code --name=value}
 * arguments), opened the way {@code berth admin reset-password} opens it ({@link PasswordReset}):
 * an H2 database must exist (and admits one process, so the server must be stopped), PostgreSQL is
 * used as it is. No migration runs. The blob store is the server's, on the same data directory.
 */
final class OfflineRegistry {

    /** What a command gets: the context (the beans of {@link FsckContext}), the data directory and the store on it. */
    record Opened(ConfigurableApplicationContext context, Path dataDir, ContentStore store) {
    }

    @FunctionalInterface
    interface Command<T> {
        T run(Opened registry) throws IOException;
    }

    private OfflineRegistry() {
    }

    /**
     * Opens the registry, runs the command, and closes it again. Spring's and the pool's log lines go
     * to stderr meanwhile, so that stdout carries the command's output alone.
     *
     * @throws IllegalStateException with a one-line message when the database or data directory cannot be used
     */
    static <T> T run(List<String> springArguments, Command<T> command) {
        SpringApplication app = new SpringApplication(FsckContext.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setBannerMode(Banner.Mode.OFF);
        app.setLogStartupInfo(false);
        app.setRegisterShutdownHook(false);
        app.setDefaultProperties(Map.of("logging.level.root", "warn"));
        app.addInitializers(context -> PasswordReset.onlyAnExistingH2Database(context.getEnvironment()));
        PrintStream stdout = System.out;
        System.setOut(System.err);
        String url = "";
        try (ConfigurableApplicationContext context = app.run(springArguments.toArray(String[]::new))) {
            url = context.getEnvironment().getProperty("spring.datasource.url", "");
            RegistryProperties properties = context.getBean(RegistryProperties.class);
            if (properties.storage().type() != RegistryProperties.Storage.Type.FILESYSTEM) {
                throw new IllegalStateException("this command reads the blob files of the data directory, and berth.storage.type is "
                        + properties.storage().type().name().toLowerCase(java.util.Locale.ROOT));
            }
            Path dataDir = properties.dataDir().toAbsolutePath().normalize();
            if (!Files.isDirectory(dataDir.resolve("blobs"))) {
                throw new IllegalStateException("no Berth data at " + dataDir + " (it has no blobs/): give the data directory"
                        + " (--data-dir) that berth serve uses");
            }
            context.getBean(FsckRows.class).blobRowCount(); // the database answers, and has Berth's tables, before anything is read or removed
            // As registry.storage.BlobStorage opens it: uploads are staged in uploads/.
            ContentStore store = new FileContentStore(dataDir, new FileContentStore.Settings("uploads", SpaceGuard.NONE, false));
            return command.run(new Opened(context, dataDir, store));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the data directory: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(PasswordReset.describe(e, url), e);
        } finally {
            System.setOut(stdout);
        }
    }
}
