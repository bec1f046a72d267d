package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.registry.ui.UiSession;
import dev.berth.testing.RegistryPusher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 6: {@code berth fsck} from the packaged jar on the data directory and database of
 * a real {@code berth serve} that images were pushed to: clean at first; then each kind of damage
 * (a stray file, an orphan blob, an upload leftover; a flipped byte, a truncated file, a deleted
 * file, a deleted blobs row, a session whose bytes are gone, a manifest row deleted from under an
 * index, a manifest's stored bytes altered) is found, one line each, with exit
 * code 2; {@code --repair} removes what nothing needs (exit 0 when that was all) and keeps every
 * byte that a row or a manifest still names.
 */
class FsckIT {

    private static final String REPO = "fsck/app";
    private static final Duration OLD = Duration.ofHours(1);
    private static final String STORAGE_CHECK = "/admin/storage-check";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random = new Random(14);

    @Test
    void findsEachKindOfDamageAndRepairsOnlyWhatNothingNeeds() throws Exception {
        try (BerthProcess berth = BerthProcess.start("fsck", "-Xmx384m")) {
            RegistryPusher pusher = new RegistryPusher(berth.uri("/"));
            Descriptor shared = pusher.blob(REPO, MediaType.OCI_LAYER_GZIP, bytes(40_000));
            Descriptor configA = pusher.blob(REPO, MediaType.OCI_CONFIG, "{\"os\":\"linux\",\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8));
            Descriptor layerA = pusher.blob(REPO, MediaType.OCI_LAYER_GZIP, bytes(30_000));
            Descriptor configB = pusher.blob(REPO, MediaType.OCI_CONFIG, "{\"os\":\"linux\",\"architecture\":\"arm64\"}".getBytes(StandardCharsets.UTF_8));
            Descriptor layerB = pusher.blob(REPO, MediaType.OCI_LAYER_GZIP, bytes(20_000));
            Descriptor layerC = pusher.blob(REPO, MediaType.OCI_LAYER_GZIP, bytes(10_000));
            byte[] manifestA = manifest(configA, shared, layerA);
            byte[] manifestB = manifest(configB, shared, layerB, layerC);
            Digest a = pusher.manifest(REPO, "a", MediaType.OCI_MANIFEST, manifestA);
            Digest b = pusher.manifest(REPO, "b", MediaType.OCI_MANIFEST, manifestB);
            Digest multi = pusher.manifest(REPO, "multi", MediaType.OCI_INDEX, index(a, manifestA.length, b, manifestB.length));
            // A referrer of a manifest that is not stored: allowed (OCI), so only a note.
            Digest absent = Digest.sha256(bytes(64));
            byte[] referrer = referrer(configA, layerA, absent);
            Digest referring = pusher.manifest(REPO, Digest.sha256(referrer).toString(), MediaType.OCI_MANIFEST, referrer);
            String note = "NOTE manifest " + REPO + "@" + referring + ": its subject " + absent
                    + " is not in the repository (OCI allows a referrer before its subject)";
            String upload = startUploadWithBytes(berth, bytes(5_000));
            long stored = shared.size() + configA.size() + layerA.size() + configB.size() + layerB.size() + layerC.size();
            berth.stop();

            Exec.Result clean = fsck(berth);
            assertThat(clean.exitCode()).as(clean.describe()).isZero();
            assertThat(findings(clean)).containsExactly(note);
            assertThat(summary(clean)).isEqualTo("fsck: 6 blob files (" + stored + " bytes read), 4 manifests, 3 tags, 1 upload checked:"
                    + " all well (1 note)");

            // What nothing needs: --repair removes it, and that is all well.
            Path orphan = writeOrphan(berth, bytes(1_000), OLD);
            Path stray = old(Files.writeString(orphan.getParent().resolve("notes.txt"), "left here by hand"));
            Path leftover = old(Files.write(berth.dataDir().resolve("uploads").resolve(UUID.randomUUID().toString()), bytes(700)));
            List<String> harmless = List.of(note,
                    "ORPHAN blob " + digestOf(orphan) + ": its file " + relative(berth, orphan) + " has no row and no manifest names it",
                    "STRAY file " + relative(berth, stray) + ": under blobs/ but not named for a blob of its directory",
                    "UPLOAD staged bytes uploads/" + leftover.getFileName() + ": no upload session owns them, and nothing has"
                            + " written to them for 10 minutes");

            Exec.Result found = fsck(berth);
            assertThat(found.exitCode()).as(found.describe()).isEqualTo(2);
            assertThat(findings(found)).containsExactlyInAnyOrderElementsOf(harmless);
            assertThat(summary(found)).endsWith(": 3 problems, 0 repaired, 1 note");

            Exec.Result repaired = fsck(berth, "--repair");
            assertThat(repaired.exitCode()).as(repaired.describe()).isZero();
            assertThat(findings(repaired)).containsExactlyInAnyOrderElementsOf(harmless.stream()
                    .map(l -> l.startsWith("NOTE") ? l : l + " [repaired: removed]").toList());
            assertThat(summary(repaired)).endsWith(": 3 problems, 3 repaired, 1 note: all well now");
            assertThat(orphan).doesNotExist();
            assertThat(stray).doesNotExist();
            assertThat(leftover).doesNotExist();
            assertThat(fsck(berth).exitCode()).isZero();

            // Damage to what is needed: reported, never repaired away.
            flipByte(blobFile(berth, layerA.digest()), 1234);
            Path truncated = blobFile(berth, layerB.digest());
            try (FileChannel channel = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
                channel.truncate(layerB.size() / 2);
            }
            Files.delete(blobFile(berth, layerC.digest()));
            deleteBlobRow(berth, configB.digest());
            Files.delete(berth.dataDir().resolve("uploads").resolve(upload));
            Path young = writeOrphan(berth, bytes(900), Duration.ZERO);
            byte[] altered = (new String(manifestB, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
            sql(berth, "UPDATE manifests SET content = ? WHERE digest = ?", altered, b.toString());
            sql(berth, "DELETE FROM manifests WHERE digest = ?", a.toString()); // its tag and references go with it
            List<String> damage = List.of(
                    "CORRUPT blob " + layerA.digest() + ": the bytes of its file " + relative(berth, blobFile(berth, layerA.digest()))
                            + " hash to " + digestOf(blobFile(berth, layerA.digest())),
                    "CORRUPT blob " + layerB.digest() + ": its file " + relative(berth, truncated) + " has " + layerB.size() / 2
                            + " bytes, its row says " + layerB.size(),
                    "LOST DATA blob " + layerC.digest() + ": its row (" + layerC.size() + " bytes) is there, its file "
                            + relative(berth, blobFile(berth, layerC.digest())) + " is not; 1 manifest(s) name it",
                    "UNRECORDED blob " + configB.digest() + ": its file " + relative(berth, blobFile(berth, configB.digest()))
                            + " is there, its row is not, and 1 manifest(s) name it: the bytes are kept",
                    "BROKEN manifest " + REPO + "@" + b + ": config " + configB.digest() + " has no blob row: pulls of it fail",
                    "UPLOAD upload " + upload + ": its session is there, its staged bytes are not: it cannot be resumed",
                    "BROKEN manifest " + REPO + "@" + multi + ": child manifest " + a + " is not in the repository: pulls of it fail",
                    "CORRUPT manifest " + REPO + "@" + b + ": its stored bytes hash to " + Digest.sha256(altered),
                    note);
            String youngLine = "ORPHAN blob " + digestOf(young) + ": its file " + relative(berth, young) + " has no row and no manifest names it";

            Exec.Result damaged = fsck(berth);
            assertThat(damaged.exitCode()).as(damaged.describe()).isEqualTo(2);
            List<String> expected = new ArrayList<>(damage);
            expected.add(youngLine);
            assertThat(findings(damaged)).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(summary(damaged)).endsWith(": 9 problems (4 with data lost or damaged), 0 repaired, 1 note");

            Exec.Result partly = fsck(berth, "--repair");
            assertThat(partly.exitCode()).as(partly.describe()).isEqualTo(2);
            List<String> afterRepair = new ArrayList<>(damage);
            afterRepair.set(5, damage.get(5) + " [repaired: session deleted]");
            afterRepair.add(youngLine + "; written in the last 10 minutes, so kept: a push may be completing with it");
            assertThat(findings(partly)).containsExactlyInAnyOrderElementsOf(afterRepair);
            assertThat(blobFile(berth, configB.digest())).as("bytes a manifest names stay").exists();
            assertThat(blobFile(berth, layerA.digest())).as("damaged bytes stay for a person to look at").exists();
            assertThat(truncated).exists();
            assertThat(young).exists();

            Exec.Result still = fsck(berth);
            assertThat(still.exitCode()).isEqualTo(2);
            List<String> left = expected.stream().filter(l -> !l.startsWith("UPLOAD")).toList();
            assertThat(findings(still)).containsExactlyInAnyOrderElementsOf(left);
            assertThat(summary(still)).endsWith(": 8 problems (4 with data lost or damaged), 0 repaired, 1 note");

            // The same check from the admin page of the running server, which only reports.
            berth.start();
            HttpResponse<String> page = new UiSession(berth::uri).submit(STORAGE_CHECK, STORAGE_CHECK, Map.of());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains(left).contains(summary(still));
            assertThat(young).exists();
        }
    }

    @Test
    void aDataDirectoryWithoutBerthDataIsRefusedInOneLine() throws IOException {
        Path empty = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "fsck-nothing-");
        try {
            Exec.Result none = Exec.of(java(), "-Xmx256m", "-jar", System.getProperty("berth.jar"), "fsck", "--data-dir", empty.toString())
                    .directory(empty).timeout(Duration.ofMinutes(3)).run();
            assertThat(none.exitCode()).isEqualTo(1);
            assertThat(none.stdout()).isEmpty();
            assertThat(none.stderr()).isEqualTo("berth: no Berth data at " + empty + " (it has no blobs/): give the data directory"
                    + " (--data-dir) that berth serve uses\n");
            try (var left = Files.list(empty)) {
                assertThat(left).as("nothing made there").isEmpty();
            }
        } finally {
            TestFiles.deleteRecursively(empty);
        }
    }

    private Exec.Result fsck(BerthProcess berth, String... options) {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-jar", System.getProperty("berth.jar"), "fsck",
                "--data-dir", berth.dataDir().toString()));
        command.addAll(List.of(options));
        command.addAll(berth.databaseArguments());
        return Exec.of(command).directory(berth.dataDir()).timeout(Duration.ofMinutes(3)).run();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static List<String> findings(Exec.Result result) {
        List<String> lines = result.stdout().lines().toList();
        return lines.subList(0, lines.size() - 1);
    }

    private static String summary(Exec.Result result) {
        List<String> lines = result.stdout().lines().toList();
        return lines.get(lines.size() - 1);
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] manifest(Descriptor config, Descriptor... layers) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST.value() + "\",\"config\":"
                + descriptor(config) + ",\"layers\":[");
        for (int i = 0; i < layers.length; i++) {
            json.append(i == 0 ? "" : ",").append(descriptor(layers[i]));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String descriptor(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType().value() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    private static byte[] index(Digest a, int sizeA, Digest b, int sizeB) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX.value() + "\",\"manifests\":["
                + "{\"mediaType\":\"" + MediaType.OCI_MANIFEST.value() + "\",\"digest\":\"" + a + "\",\"size\":" + sizeA
                + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
                + "{\"mediaType\":\"" + MediaType.OCI_MANIFEST.value() + "\",\"digest\":\"" + b + "\",\"size\":" + sizeB
                + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}}]}").getBytes(StandardCharsets.UTF_8);
    }

    /** An upload in progress: its session and some bytes; returns its id. */
    private String startUploadWithBytes(BerthProcess berth, byte[] content) throws IOException, InterruptedException {
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(berth.uri("/v2/" + REPO + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        URI location = berth.uri("/").resolve(started.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> patched = http.send(HttpRequest.newBuilder(location).header("Content-Type", "application/octet-stream")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(202);
        String path = location.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static Path blobFile(BerthProcess berth, Digest digest) {
        return berth.dataDir().resolve("blobs").resolve(digest.algorithm().prefix()).resolve(digest.hex().substring(0, 2))
                .resolve(digest.hex());
    }

    /** A blob file in its place that no row or manifest knows, last written {@code age} ago. */
    private static Path writeOrphan(BerthProcess berth, byte[] content, Duration age) throws IOException {
        Path file = blobFile(berth, Digest.sha256(content));
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
        return file;
    }

    private static Path old(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(OLD)));
        return file;
    }

    private static String digestOf(Path file) throws IOException {
        return Digest.sha256(Files.readAllBytes(file)).toString();
    }

    private static String relative(BerthProcess berth, Path file) {
        return berth.dataDir().relativize(file).toString();
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.flip();
            byte flipped = (byte) (one.get() ^ 0x5a);
            channel.write(ByteBuffer.wrap(new byte[] {flipped}), position);
        }
    }

    /** A referrer manifest (an artifact) of {@code subject}. */
    private static byte[] referrer(Descriptor config, Descriptor layer, Digest subject) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST.value() + "\",\"artifactType\":\"application/vnd.example.sbom\","
                + "\"config\":" + descriptor(config) + ",\"layers\":[" + descriptor(layer) + "],"
                + "\"subject\":{\"mediaType\":\"" + MediaType.OCI_MANIFEST.value() + "\",\"digest\":\"" + subject + "\",\"size\":321}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** One statement on the stopped server's database. */
    private static void sql(BerthProcess berth, String statement, Object... parameters) throws Exception {
        Map<String, String> db = berth.databaseProperties();
        try (Connection c = DriverManager.getConnection(db.get("spring.datasource.url"),
                db.getOrDefault("spring.datasource.username", "berth"), db.getOrDefault("spring.datasource.password", ""));
             PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            assertThat(s.executeUpdate()).as(statement).isPositive();
        }
    }

    /** The blob's row goes (its links first: they reference it), its file stays. */
    private static void deleteBlobRow(BerthProcess berth, Digest digest) throws Exception {
        Map<String, String> db = berth.databaseProperties();
        try (Connection c = DriverManager.getConnection(db.get("spring.datasource.url"),
                db.getOrDefault("spring.datasource.username", "berth"), db.getOrDefault("spring.datasource.password", ""))) {
            for (String sql : Arrays.asList("DELETE FROM blob_links WHERE digest = ?", "DELETE FROM blobs WHERE digest = ?")) {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, digest.toString());
                    assertThat(s.executeUpdate()).as(sql).isPositive();
                }
            }
        }
    }
}
