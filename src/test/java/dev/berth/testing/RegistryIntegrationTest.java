package dev.berth.testing;

import dev.berth.registry.RegistryApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of the tests that talk HTTP to a real registry booted in this JVM on a random port, with
 * its own data directory and database. Test classes share one server (Spring caches the
 * context), so each test uses repository names of its own ({@link #uniqueName}).
 * Access control is off ({@code berth.auth.mode=none}) unless a subclass sets another mode.
 */
@SpringBootTest(classes = RegistryApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Access control off unless a test class says otherwise with its own @TestPropertySource.
@TestPropertySource(properties = "berth.auth.mode=none")
public abstract class RegistryIntegrationTest {

    protected static final Path DATA_DIR = createDataDir();

    @LocalServerPort
    protected int port;

    protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @DynamicPropertySource
    static void registryProperties(DynamicPropertyRegistry registry) {
        registry.add("berth.data-dir", DATA_DIR::toString);
        TestDatabase.properties(DATA_DIR).forEach((k, v) -> registry.add(k, () -> v));
    }

    protected URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** A repository name no other test uses. */
    protected static String uniqueName(String prefix) {
        return prefix + "/" + Long.toString(System.nanoTime(), 36);
    }

    private static Path createDataDir() {
        try {
            // Under target/, so that a clean build removes what a test JVM stored (up to a GiB or more).
            Path parent = Files.createDirectories(Path.of("target", "it-data"));
            return Files.createTempDirectory(parent, "berth-it-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
