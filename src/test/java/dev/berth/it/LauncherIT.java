package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code target/berth}, the launcher the build writes: it runs the extracted jar with the AOT
 * caches (a JDK 25 or later, recorded in {@code berth-app/java}) or class-data sharing archives the
 * build's training runs made. {@code -XX:AOTMode=on} and {@code -Xshare:on} make the JVM refuse to
 * start when the cache or archive cannot be used, and the class-loading log says where classes came from.
 * A build with {@code -Dberth.cds.skip=true} (failsafe passes the flag on) makes no caches: then the
 * launcher must run every command without one.
 */
@DatabaseNeutral
class LauncherIT {

    private static final String FROM_ARCHIVE = " source: shared objects file";
    private static final List<String> CACHES = List.of("java", "serve.aot", "cli.aot", "serve.jsa", "cli.jsa");
    /** Whether the build ran the training (it did unless told otherwise). */
    private static final boolean TRAINED = !Boolean.getBoolean("berth.cds.skip");

    @Test
    void commandsOtherThanServeLoadTheirClassesFromTheCliCacheWhenTheBuildMadeOne() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "launcher-");
        Path classLog = work.resolve("classes.log");

        Process p = launcher(work, classLog, "images", "--root", work.resolve("root").toString())
                .redirectOutput(work.resolve("out").toFile()).redirectError(work.resolve("err").toFile()).start();

        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(work.resolve("err"))).isZero();
        assertThat(Files.readString(work.resolve("out"))).startsWith("REPOSITORY");
        assertLoaded(classLog, "dev.berth.cli.ImagesCommand", "dev.berth.runtime.image.ImageStore");
        TestFiles.deleteRecursively(work);
    }

    @Test
    void theBuildMadeTheCachesItWasAskedFor() throws Exception {
        Path app = BerthProcess.targetDir().resolve("berth-app");
        if (!TRAINED) {
            assertThat(CACHES).as("berth.cds.skip=true: no training, so nothing of it in " + app)
                    .noneMatch(name -> Files.exists(app.resolve(name)));
            assertThat(app.resolve("berth.jar")).isRegularFile();
        } else if (Files.exists(app.resolve("java"))) {
            Path java = Path.of(Files.readString(app.resolve("java")).strip());
            assertThat(java).isExecutable();
            assertThat(Files.readString(java.getParent().getParent().resolve("release"))).containsPattern("JAVA_VERSION=\"(2[5-9]|[3-9][0-9])");
            assertThat(app.resolve("serve.aot")).isRegularFile();
            assertThat(app.resolve("cli.aot")).isRegularFile();
        } else {
            assertThat(app.resolve("serve.jsa")).isRegularFile();
            assertThat(app.resolve("cli.jsa")).isRegularFile();
        }
    }

    @Test
    void withoutTheRecordedJdkTheLauncherRunsJavaHomesJavaWithoutTheCache() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "launcher-moved-");
        Path app = Files.createDirectories(work.resolve("berth-app"));
        Path built = BerthProcess.targetDir().resolve("berth-app");
        Files.copy(BerthProcess.targetDir().resolve("berth"), work.resolve("berth"));
        Files.createSymbolicLink(app.resolve("berth.jar"), built.resolve("berth.jar"));
        Files.createSymbolicLink(app.resolve("lib"), built.resolve("lib"));
        Files.writeString(app.resolve("cli.aot"), "not a cache");
        Files.writeString(app.resolve("java"), work.resolve("no-such-jdk/bin/java") + "\n");
        Path classLog = work.resolve("classes.log");
        ProcessBuilder pb = new ProcessBuilder(work.resolve("berth").toString(), "images", "--root", work.resolve("root").toString())
                .directory(work.toFile()).redirectOutput(work.resolve("out").toFile()).redirectError(work.resolve("err").toFile());
        pb.environment().put("BERTH_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));

        Process p = pb.start();

        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(work.resolve("err"))).isZero();
        assertThat(Files.readString(work.resolve("out"))).startsWith("REPOSITORY");
        assertThat(Files.readString(classLog)).contains("dev.berth.cli.ImagesCommand source: ")
                .doesNotContain("dev.berth.cli.ImagesCommand" + FROM_ARCHIVE);
        TestFiles.deleteRecursively(work);
    }

    @Test
    void serveLoadsSpringFromTheServeCacheWhenTheBuildMadeOneAndAnswersTheDatabaseBackedApi() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "launcher-serve-");
        Path classLog = work.resolve("classes.log");
        int port = freePort();
        // Without access control: /v2/ and the catalog answer 200 without signing in.
        List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(port), "--data-dir",
                work.resolve("data").toString(), "--berth.auth.mode=none"));
        TestDatabase.properties(work.resolve("data")).forEach((k, v) -> args.add("--" + k + "=" + v));
        Process p = launcher(work, classLog, args.toArray(String[]::new))
                .redirectErrorStream(true).redirectOutput(work.resolve("serve.log").toFile()).start();
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            awaitOk(http, p, URI.create("http://127.0.0.1:" + port + "/v2/"), work);
            // The repositories are made after the server listens: a database-backed answer waits for them.
            HttpResponse<String> catalog = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/_catalog"))
                    .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(catalog.statusCode()).isEqualTo(200);
            assertThat(catalog.body()).isEqualTo("{\"repositories\":[]}");
            // Classes of the request path too: the training run answered requests.
            assertLoaded(classLog, "dev.berth.registry.RegistryApplication", "org.springframework.context.support.AbstractApplicationContext",
                    "org.apache.coyote.http11.Http11Processor");
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        TestFiles.deleteRecursively(work);
    }

    /** Each class was loaded: from the cache or archive when the build trained, else from its jar. */
    private static void assertLoaded(Path classLog, String... classes) throws IOException {
        String log = Files.readString(classLog);
        for (String name : classes) {
            if (TRAINED) {
                assertThat(log).contains(name + FROM_ARCHIVE);
            } else {
                assertThat(log).contains(name + " source: ").doesNotContain(name + FROM_ARCHIVE);
            }
        }
    }

    private static ProcessBuilder launcher(Path work, Path classLog, String... args) {
        List<String> command = new ArrayList<>();
        command.add(BerthProcess.targetDir().resolve("berth").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().put("BERTH_JAVA_OPTS", strict() + " -Xlog:class+load=info:file=" + classLog);
        // Archives (no AOT caches): the JDK the build ran on made them, and the launcher finds java through
        // JAVA_HOME. AOT caches: the launcher runs the JDK recorded beside them, whatever JAVA_HOME says.
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb;
    }

    /** The option that makes a cache or archive that cannot be used an error (none without them). */
    private static String strict() {
        if (!TRAINED) {
            return "";
        }
        return Files.exists(BerthProcess.targetDir().resolve("berth-app").resolve("java")) ? "-XX:AOTMode=on" : "-Xshare:on";
    }

    private static void awaitOk(HttpClient http, Process p, URI uri, Path work) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("berth serve exited:\n%s", Files.readString(work.resolve("serve.log"), StandardCharsets.UTF_8))
                    .isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("berth serve did not answer " + uri);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
