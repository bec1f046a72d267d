package dev.berth.it;

import dev.berth.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code berth serve} in a process of its own, started as users start it: with
 * {@code target/berth}, the launcher the build writes (with the build's AOT cache or class-data
 * archive when it made one: a start then takes about half the CPU of {@code java -jar}), with its
 * own data directory and database. It can be killed like a crash ({@code kill -9}: the launcher
 * execs the JVM, so the process is the JVM) and restarted on the same data directory and database.
 * Its output goes to {@code target/it-logs/NAME.log}.
 */
final class BerthProcess implements AutoCloseable {

    /** Boot takes 7-15 s on an idle 2-core machine, much longer while other builds run. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(4);

    private final String name;
    private final List<String> jvmOptions;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Path log;
    private final Map<String, String> databaseProperties;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread killOnExit = new Thread(this::kill, "kill-berth");
    private Process process;
    private int port;

    private BerthProcess(String name, Path parent, List<String> jvmOptions) throws IOException {
        this(name, Files.createTempDirectory(Files.createDirectories(parent), name + "-"), null, true, jvmOptions);
    }

    private BerthProcess(String name, Path dataDir, Map<String, String> database, boolean ownsDataDir, List<String> jvmOptions)
            throws IOException {
        if (jvmOptions.stream().anyMatch(o -> o.isBlank() || o.chars().anyMatch(Character::isWhitespace))) {
            throw new IllegalArgumentException("the launcher splits BERTH_JAVA_OPTS at spaces: " + jvmOptions);
        }
        this.name = name;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        Files.createDirectories(targetDir().resolve("it-logs"));
        this.log = targetDir().resolve("it-logs").resolve((ownsDataDir ? "" : name + "-") + dataDir.getFileName() + ".log");
        // Chosen once: a restart must find the same database (a PostgreSQL schema is made per call).
        this.databaseProperties = database != null ? Map.copyOf(database) : TestDatabase.properties(dataDir);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts a server on a fresh schema of the test PostgreSQL server, whatever database the
     * execution uses, so that {@link #replicaOf} can start more servers on the same one.
     */
    static BerthProcess startOnPostgres(String name, String... jvmOptions) {
        return startOn(TestDatabase.postgresProperties(), name, jvmOptions);
    }


    /**
     * Starts another server on {@code first}'s database and data directory (a stateless replica
     * behind a load balancer); closing it leaves the shared directory to {@code first}.
     */
    static BerthProcess replicaOf(BerthProcess first, String name, String... jvmOptions) {
        try {
            BerthProcess replica = new BerthProcess(name, first.dataDir, first.databaseProperties, false, List.of(jvmOptions));
            replica.start();
            return replica;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server and waits until it answers {@code GET /v2/} (200, or 401 with access control on). */
    static BerthProcess start(String name, String... jvmOptions) {
        return startUnder(workRoot(), name, jvmOptions);
    }

    /** As {@link #start}, with the data directory (and an H2 database) made under {@code parent}, e.g. a small mount. */
    static BerthProcess startUnder(Path parent, String name, String... jvmOptions) {
        try {
            BerthProcess berth = new BerthProcess(name, parent, List.of(jvmOptions));
            berth.start();
            return berth;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #start}, on the database these {@code spring.datasource.*} (and Flyway) settings name. */
    static BerthProcess startOn(Map<String, String> database, String name, String... jvmOptions) {
        try {
            Path dataDir = Files.createTempDirectory(Files.createDirectories(workRoot()), name + "-");
            BerthProcess berth = new BerthProcess(name, dataDir, database, true, List.of(jvmOptions));
            berth.start();
            return berth;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server and returns at once, before it listens (for tests of what happens while it starts). */
    static BerthProcess launch(String name, String... jvmOptions) {
        try {
            BerthProcess berth = new BerthProcess(name, workRoot(), List.of(jvmOptions));
            berth.spawn();
            return berth;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code target/}, found from the jar the build just packaged. */
    static Path targetDir() {
        String jar = System.getProperty("berth.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property berth.jar must name the packaged jar (failsafe sets it), got " + jar);
        }
        return Path.of(jar).toAbsolutePath().getParent();
    }

    /** Where the end-to-end tests keep data dirs, images and tool state. */
    static Path workRoot() {
        return targetDir().resolve("it-work");
    }

    /** Starts (or restarts, after {@link #kill}) the server on the same data directory and database. */
    synchronized void start() throws IOException {
        spawn();
        awaitReady();
    }

    private void spawn() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        port = freePort();
        List<String> options = new ArrayList<>(jvmOptions);
        // An OutOfMemoryError anywhere must end the server, so that a test cannot miss it.
        options.add("-XX:+ExitOnOutOfMemoryError");
        String javaOptions = String.join(" ", options);
        List<String> command = new ArrayList<>();
        command.add(targetDir().resolve("berth").toString());
        command.addAll(List.of("serve", "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        databaseProperties.forEach((k, v) -> command.add("--" + k + "=" + v));
        if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Dberth.auth."))) {
            // Tests of pushing and pulling run without access control unless they ask for it.
            command.add("--berth.auth.mode=none");
        }
        Files.writeString(log, "\n===== " + Instant.now() + " starting: BERTH_JAVA_OPTS='" + javaOptions + "' "
                + String.join(" ", command) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                // Not the project directory: its config/application.yml must not leak in.
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("BERTH_JAVA_OPTS", javaOptions);
        // With archives (no AOT cache) the launcher runs JAVA_HOME's java: the JDK that made them.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = builder.start();
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        long started = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("berth " + name + " exited with " + process.exitValue() + " while starting\n" + logTail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri("/v2/")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                // 401: access control is on, and the server answers.
                if (response.statusCode() == 200 || response.statusCode() == 401) {
                    System.out.printf("[berth] %s ready on port %d after %d ms%n", name, port, (System.nanoTime() - started) / 1_000_000);
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for berth", e);
            }
            sleep(250);
        }
        kill();
        throw new IllegalStateException("berth " + name + " was not ready within " + STARTUP_TIMEOUT + "\n" + logTail());
    }

    /** Stops the server as SIGTERM does (then forcibly); the data directory and database stay for a restart. */
    synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    /** Sends SIGTERM ({@link Process#destroy}) and returns at once, while the server shuts down. */
    synchronized void terminate() {
        if (process != null) {
            process.destroy();
        }
    }

    /** The exit code once the process ended within {@code timeout}, or -1 if it is still running then. */
    int awaitExit(Duration timeout) throws InterruptedException {
        Process running;
        synchronized (this) {
            running = process;
        }
        return running.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? running.exitValue() : -1;
    }

    /** The {@code --name=value} arguments that point a command at this server's database. */
    List<String> databaseArguments() {
        List<String> args = new ArrayList<>();
        databaseProperties.forEach((k, v) -> args.add("--" + k + "=" + v));
        return args;
    }

    /** The settings of this server's database, for a JDBC connection of the test's own (while it is stopped, on H2). */
    Map<String, String> databaseProperties() {
        return databaseProperties;
    }

    /** {@code kill -9}: no shutdown hook, no flush, no graceful anything. */
    synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}, as clients write it in image references. */
    String hostPort() {
        return "127.0.0.1:" + port;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://" + hostPort() + pathAndQuery);
    }

    Path dataDir() {
        return dataDir;
    }

    /** The end of the server's log, for assertion messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- last lines of " + log + " ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }

    /** Whether the server ever logged this (e.g. an OutOfMemoryError). */
    boolean logContains(String text) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8).contains(text);
    }

    /** Stops the server gracefully (then forcibly) and removes its data directory; the log stays. */
    @Override
    public synchronized void close() throws IOException {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        if (ownsDataDir) {
            TestFiles.deleteRecursively(dataDir);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
