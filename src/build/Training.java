import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The build's training runs for target/berth (run by the maven-antrun-plugin in the package phase,
 * as a single-file program): it starts {@code berth serve} from the extracted jar, sends it the
 * requests a registry answers (sign-in, pushes, pulls and the web UI, a number of rounds of them,
 * and a large blob pushed and pulled twice) and stops it with SIGTERM; meanwhile it runs
 * {@code berth images} once. Each JVM writes what it loaded, linked and profiled when it exits.
 *
 * <p>With a JDK of release 25 or later it writes AOT caches ({@code serve.aot}, {@code cli.aot},
 * {@code -XX:AOTCacheOutput}) and records that JDK's java in {@code java} beside them, since a cache
 * holds for the JDK that made it only. Without one it writes class-data sharing archives
 * ({@code serve.jsa}, {@code cli.jsa}, {@code -XX:ArchiveClassesAtExit}) with the build's own JDK.
 *
 * <p>Arguments: the extracted application directory, a scratch directory, the JDK to use
 * ({@code berth.aot.java}: a JDK directory or its java; empty to look for one: JAVA_HOME, the
 * build's JDK, then /usr/lib/jvm/*; {@code none} for the class-data sharing archives), the number
 * of rounds ({@code berth.training.rounds}) and the large blob's size in MiB
 * ({@code berth.training.large-mib}, 0 for none). A default build trains briefly; the release
 * profile trains 200 rounds and 128 MiB, whose method profiles let the JIT compile the request
 * path in the first seconds after a start (README, "Start-up time").
 */
class Training {

    static final int AOT_RELEASE = 25;
    static final String QUICK_COMPILER_ONLY = "-XX:TieredStopAtLevel=1";
    static final String CLI_TUNING = QUICK_COMPILER_ONLY + " -XX:+UseSerialGC -XX:-UsePerfData";
    /**
     * An AOT cache from a run with the quick compiler only holds no training data: a JVM with both
     * compilers replays it and then keeps the methods it names at the quick compiler's code (a
     * 512 MiB push at a quarter of its speed or less: SHA-256 never reaches the CPU's SHA instructions).
     */
    static final List<String> NO_TRAINING_DATA = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining");
    static final String PASSWORD = "training-password";

    public static void main(String[] args) throws Exception {
        Path app = Path.of(args[0]).toAbsolutePath();
        Path work = Path.of(args[1]).toAbsolutePath();
        String requested = args.length > 2 ? args[2].trim() : "";
        int rounds = args.length > 3 ? Integer.parseInt(args[3].trim()) : 200;
        int largeMib = args.length > 4 ? Integer.parseInt(args[4].trim()) : 128;
        List<String> serveOptions = args.length > 5 && !args[5].isBlank() ? List.of(args[5].trim().split("\\s+")) : List.of();
        if (rounds < 1 || largeMib < 0) {
            throw new IllegalArgumentException("berth.training.rounds must be at least 1 and berth.training.large-mib at least 0");
        }
        Workload workload = new Workload(rounds, largeMib, serveOptions);
        long started = System.nanoTime();
        Files.createDirectories(work);
        Files.deleteIfExists(app.resolve("java"));
        Optional<Path> aotJava = aotJava(requested);
        Path java = aotJava.orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
        String option = aotJava.isPresent() ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=";
        String suffix = aotJava.isPresent() ? ".aot" : ".jsa";
        System.out.println(aotJava.isPresent() ? "[training] AOT caches with " + java
                : "[training] " + (requested.equals("none") ? "berth.aot.java=none" : "no JDK " + AOT_RELEASE + "+ found")
                        + ": class-data sharing archives with " + java);
        List<String> serveCache = new ArrayList<>(List.of(option + app.resolve("serve" + suffix)));
        List<String> cliCache = new ArrayList<>(List.of(option + app.resolve("cli" + suffix)));
        if (aotJava.isPresent()) {
            cliCache.addAll(NO_TRAINING_DATA);
            if (workload.serveOptions().contains(QUICK_COMPILER_ONLY)) {
                serveCache.addAll(NO_TRAINING_DATA);
            }
        }
        // The two runs share nothing but the cores: berth images trains while serve does.
        CompletableFuture<Void> cliRun = CompletableFuture.runAsync(() -> {
            try {
                cli(java, cliCache, app, work);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        serve(java, serveCache, app, work, workload);
        cliRun.join();
        requireFile(app.resolve("serve" + suffix));
        requireFile(app.resolve("cli" + suffix));
        if (aotJava.isPresent()) {
            Files.writeString(app.resolve("java"), java + "\n");
        }
        System.out.printf("[training] %d rounds, %d MiB blob, serve options %s: %.1f s%n", rounds, largeMib, serveOptions,
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * What the serve training does: rounds of small pushes, pulls and pages, one large blob, and the
     * JVM options it runs with ({@code -XX:TieredStopAtLevel=1} for a short run: the quick compiler
     * alone halves the run's CPU, and the cache then holds the classes without method profiles).
     */
    record Workload(int rounds, int largeMib, List<String> serveOptions) {
    }

    /** The java of a JDK of release 25 or later: the one asked for, else the first found. */
    static Optional<Path> aotJava(String requested) throws IOException {
        if (requested.equals("none")) {
            return Optional.empty();
        }
        if (!requested.isEmpty()) {
            Path java = javaOf(Path.of(requested));
            if (release(java) < AOT_RELEASE) {
                throw new IllegalStateException("berth.aot.java=" + requested + " is not a JDK " + AOT_RELEASE + " or later");
            }
            return Optional.of(java);
        }
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getenv("JAVA_HOME")).ifPresent(home -> candidates.add(Path.of(home)));
        candidates.add(Path.of(System.getProperty("java.home")));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                homes.filter(home -> !Files.isSymbolicLink(home))
                        .sorted(Comparator.comparing((Path home) -> release(javaOf(home))).reversed()
                                .thenComparing(Comparator.naturalOrder()))
                        .forEach(candidates::add);
            }
        }
        return candidates.stream().map(Training::javaOf).filter(java -> release(java) >= AOT_RELEASE).findFirst();
    }

    static Path javaOf(Path jdk) {
        Path java = Files.isDirectory(jdk) ? jdk.resolve("bin").resolve("java") : jdk;
        return java.toAbsolutePath().normalize();
    }

    /** The feature release of the JDK a java belongs to, from its release file; 0 when unknown. */
    static int release(Path java) {
        Path release = java.getParent() == null || java.getParent().getParent() == null ? null
                : java.getParent().getParent().resolve("release");
        if (!Files.isExecutable(java) || release == null || !Files.isRegularFile(release)) {
            return 0;
        }
        try {
            Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** berth serve with access control on, the requests of a push, a pull and the web UI, then SIGTERM. */
    static void serve(Path java, List<String> archive, Path app, Path work, Workload workload) throws Exception {
        Path data = work.resolve("data");
        deleteRecursively(data);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(workload.serveOptions());
        command.addAll(archive);
        command.addAll(List.of("-jar", app.resolve("berth.jar").toString(), "serve", "--port", Integer.toString(port),
                "--data-dir", data.toString(), "--berth.auth.admin-password=" + PASSWORD));
        Path log = work.resolve("serve.log");
        long started = System.nanoTime();
        Process server = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long stopping;
        try {
            new Requests(URI.create("http://127.0.0.1:" + port), server, log, workload).run();
        } finally {
            stopping = System.nanoTime();
            server.destroy(); // SIGTERM: the JVM shuts down and writes the archive on its way out
            if (!server.waitFor(10, TimeUnit.MINUTES)) {
                server.destroyForcibly();
                throw new IllegalStateException("berth serve did not stop after training; see " + log);
            }
        }
        System.out.printf("[training] serve: %.1f s from launch to the last answer, %.1f s to exit and write the cache%n",
                (stopping - started) / 1e9, (System.nanoTime() - stopping) / 1e9);
        // 143: ended by SIGTERM, as asked
        if (server.exitValue() != 0 && server.exitValue() != 143) {
            throw new IllegalStateException("berth serve exited with " + server.exitValue() + "; see " + log);
        }
        deleteRecursively(data);
    }

    /** Every command other than serve: the command line parsed and the local image store read. */
    static void cli(Path java, List<String> archive, Path app, Path work) throws Exception {
        Path root = work.resolve("root");
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(List.of(CLI_TUNING.split(" ")));
        command.addAll(archive);
        command.addAll(List.of("-jar", app.resolve("berth.jar").toString(), "images", "--root", root.toString()));
        Path log = work.resolve("cli.log");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("berth images failed in training; see " + log);
        }
        deleteRecursively(root);
    }

    static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the training run wrote no " + file);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    /** What a client of the registry sends: each answer must have the expected status. */
    record Requests(URI base, Process server, Path log, Workload workload) {

        static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        static final String REPO = "training/app";
        void run() throws Exception {
            awaitListening();
            String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            send(get("/v2/"), 401);
            String body = send(get("/token?service=berth&scope=repository:" + REPO + ":pull,push,delete")
                    .header("Authorization", basic), 200);
            Matcher token = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
            if (!token.find()) {
                throw new IllegalStateException("no token in " + body);
            }
            String bearer = "Bearer " + token.group(1);
            send(get("/v2/").header("Authorization", bearer), 200);
            // 200 rounds take the request path's methods past the JIT's thresholds, so that their
            // profiles are in the AOT cache; a few rounds load and link its classes.
            for (int i = 0; i < workload.rounds(); i++) {
                byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"n\":" + i + "}")
                        .getBytes(StandardCharsets.UTF_8);
                byte[] layer = new byte[64 * 1024 + i];
                new Random(i).nextBytes(layer);
                String configDigest = pushMonolithic(bearer, config);
                String layerDigest = pushChunked(bearer, layer);
                String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                        + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                        + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}";
                send(request("/v2/" + REPO + "/manifests/v" + i).header("Authorization", bearer)
                        .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                        .PUT(HttpRequest.BodyPublishers.ofString(manifest)), 201);
                send(get("/v2/" + REPO + "/manifests/v" + i).header("Authorization", bearer)
                        .header("Accept", "application/vnd.oci.image.manifest.v1+json"), 200);
                send(request("/v2/" + REPO + "/blobs/" + layerDigest).header("Authorization", bearer)
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()), 200);
                send(get("/v2/" + REPO + "/blobs/" + layerDigest).header("Authorization", bearer), 200);
                send(get("/v2/" + REPO + "/tags/list").header("Authorization", bearer), 200);
                send(get("/v2/_catalog").header("Authorization", basic), 200);
                send(get("/v2/" + REPO + "/referrers/" + sha256(manifest.getBytes(StandardCharsets.UTF_8)))
                        .header("Authorization", bearer), 200);
                send(get("/"), 200);
                send(get("/r/" + REPO), 404); // private to anonymous callers
                send(get("/login"), 200);
                send(get("/actuator/health"), 200);
            }
            send(request("/v2/" + REPO + "/manifests/v0").header("Authorization", bearer).DELETE(), 202);
            if (workload.largeMib() > 0) {
                pushAndPullLarge(bearer);
            }
        }

        /** A large blob, pushed and pulled twice, so that the upload and download loops are profiled as large transfers run them. */
        void pushAndPullLarge(String bearer) throws Exception {
            Path big = log.resolveSibling("large.blob");
            byte[] block = new byte[1024 * 1024];
            Random random = new Random(1);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (var out = Files.newOutputStream(big)) {
                for (int m = 0; m < workload.largeMib(); m++) {
                    random.nextBytes(block);
                    sha.update(block);
                    out.write(block);
                }
            }
            String digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
            for (int k = 0; k < 2; k++) {
                String location = location(startUpload(bearer));
                send(request(location + (location.contains("?") ? "&" : "?") + "digest=" + digest).header("Authorization", bearer)
                        .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofFile(big)), 201);
                HttpResponse<Void> pulled = HTTP.send(get("/v2/" + REPO + "/blobs/" + digest).header("Authorization", bearer).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (pulled.statusCode() != 200) {
                    throw new IllegalStateException("training: the large blob's pull answered " + pulled.statusCode());
                }
            }
            Files.delete(big);
        }

        String pushMonolithic(String bearer, byte[] bytes) throws Exception {
            String digest = sha256(bytes);
            String location = location(startUpload(bearer));
            send(request(location + (location.contains("?") ? "&" : "?") + "digest=" + digest).header("Authorization", bearer)
                    .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), 201);
            return digest;
        }

        String pushChunked(String bearer, byte[] bytes) throws Exception {
            String digest = sha256(bytes);
            String location = location(startUpload(bearer));
            int half = bytes.length / 2;
            HttpResponse<String> patched = HTTP.send(request(location).header("Authorization", bearer)
                    .header("Content-Type", "application/octet-stream").header("Content-Range", "0-" + (half - 1))
                    .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes, 0, half)).build(),
                    HttpResponse.BodyHandlers.ofString());
            expect(patched, 202);
            location = location(patched);
            send(request(location + (location.contains("?") ? "&" : "?") + "digest=" + digest).header("Authorization", bearer)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes, half, bytes.length - half)), 201);
            return digest;
        }

        HttpResponse<String> startUpload(String bearer) throws Exception {
            HttpResponse<String> started = HTTP.send(request("/v2/" + REPO + "/blobs/uploads/").header("Authorization", bearer)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            expect(started, 202);
            return started;
        }

        String location(HttpResponse<String> response) {
            String location = response.headers().firstValue("Location").orElseThrow();
            return location.startsWith("http") ? URI.create(location).getRawPath()
                    + (URI.create(location).getRawQuery() == null ? "" : "?" + URI.create(location).getRawQuery()) : location;
        }

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2));
        }

        HttpRequest.Builder get(String path) {
            return request(path).GET();
        }

        String send(HttpRequest.Builder request, int status) throws Exception {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            expect(response, status);
            return response.body();
        }

        void expect(HttpResponse<String> response, int status) {
            if (response.statusCode() != status) {
                throw new IllegalStateException("training: " + response.request().method() + " " + response.request().uri()
                        + " answered " + response.statusCode() + " (expected " + status + "): " + response.body());
            }
        }

        void awaitListening() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (System.nanoTime() < deadline) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("berth serve exited during training:\n" + Files.readString(log));
                }
                try {
                    // Ready once the start-up runners are done (the administrator account made).
                    if (HTTP.send(get("/actuator/health/readiness").timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("berth serve was not ready within 10 minutes; see " + log);
        }

        static String sha256(byte[] bytes) throws Exception {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
    }
}
