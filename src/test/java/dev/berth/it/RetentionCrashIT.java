package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.registry.ui.UiSession;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.TestImage;
import dev.berth.testing.TestLayer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: {@code kill -9} of a server while a retention run removes tags, then a restart on the
 * same data directory and database: the tags the rule keeps pull whole, the killed run's lease
 * (short, and renewed while a run is alive) runs out so the schedule's next run removes the rest,
 * GC frees what only the removed tags kept, and {@code berth fsck} finds nothing lost.
 */
@Timeout(600)
class RetentionCrashIT {

    private static final int DOOMED = 100;
    private static final int KEPT = 8;
    private static final String REPO = "crash/retention";
    private static final Pattern TAG = Pattern.compile("\"(doomed|kept)-\\d+\"");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void killedWhileRetentionRemovesTagsLosesNothingAndTheNextRunFinishes() throws Exception {
        // The schedule's first tick comes 15 s after each start: after the pushes here, after the checks below on restart.
        try (BerthProcess berth = BerthProcess.start("retention-crash", "-Xmx384m", "-Dberth.gc.review-delay=2s",
                "-Dberth.gc.interval=200ms", "-Dberth.gc.untagged-manifests-after=0s", "-Dberth.retention-interval=15s",
                "-Dberth.retention-lease=3s")) {
            RegistryPusher pusher = new RegistryPusher(berth.uri("/"));
            List<Path> doomed = new ArrayList<>();
            for (int i = 0; i < DOOMED; i++) {
                TestImage image = image("doomed " + i);
                image.push(pusher, REPO, "doomed-" + i);
                doomed.add(file(berth, Digest.sha256(image.layerBlobs().get(0))));
            }
            Thread.sleep(50); // the kept tags are the last pushed, not tied with a doomed one
            List<TestImage> kept = new ArrayList<>();
            List<Descriptor> keptManifests = new ArrayList<>();
            for (int i = 0; i < KEPT; i++) {
                TestImage image = image("kept " + i);
                kept.add(image);
                keptManifests.add(image.push(pusher, REPO, "kept-" + i));
            }
            UiSession admin = new UiSession(berth::uri);
            assertThat(admin.submit("/admin/retention", "/admin/retention", Map.of("repositories", REPO, "keepLast", "" + KEPT))
                    .statusCode()).isEqualTo(302);

            Thread run = new Thread(() -> {
                try {
                    admin.submit("/admin/retention", "/admin/retention/run", Map.of());
                } catch (IOException | InterruptedException e) {
                    // the server is killed under the request
                }
            });
            run.start();
            int seen = DOOMED + KEPT;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (seen == DOOMED + KEPT && System.nanoTime() < deadline) {
                seen = tags(berth);
            }
            berth.kill(); // as soon as the run removed its first tag
            run.join(30_000);
            assertThat(seen).as("tags when the run was seen removing").isBetween(KEPT + 1, DOOMED + KEPT - 1);

            berth.start();
            int afterCrash = tags(berth);
            assertThat(afterCrash).as("the killed run had not finished").isBetween(KEPT + 1, DOOMED + KEPT - 1);
            for (int i = 0; i < KEPT; i++) {
                assertPullsWhole(berth, kept.get(i), keptManifests.get(i), "kept-" + i);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (tags(berth) > KEPT && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            assertThat(tags(berth)).as("tags after the restarted server's scheduled run").isEqualTo(KEPT);
            while (doomed.stream().anyMatch(Files::exists) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(doomed).as("GC freed the layers only removed tags kept").noneMatch(Files::exists);
            for (int i = 0; i < KEPT; i++) {
                assertPullsWhole(berth, kept.get(i), keptManifests.get(i), "kept-" + i);
            }
            berth.stop(); // the embedded H2 admits one process

            // Killed mid-run: one unfinished run at least (two when, on a loaded machine, the planning outlasted the
            // 3 s lease and a scheduled tick started a second run beside it); then one run that removed the rest.
            List<String> runs = runs(berth);
            assertThat(runs).as("retention runs that removed tags or never finished").contains("unfinished")
                    .endsWith("finished, " + (afterCrash - KEPT) + " removed");
            assertThat(runs.stream().filter(r -> r.startsWith("finished"))).as(runs.toString()).hasSize(1);
            Exec.Result fsck = fsck(berth);
            assertThat(fsck.exitCode()).as(fsck.describe()).isZero();
            assertThat(fsck.stdout()).doesNotContain("LOST").doesNotContain("CORRUPT");
        }
    }

    private int tags(BerthProcess berth) throws IOException, InterruptedException {
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(berth.uri("/v2/" + REPO + "/tags/list?n=1000")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        Matcher m = TAG.matcher(list.body());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Each real run that removed something or never finished, oldest first (ticks with nothing to do are left out). */
    private static List<String> runs(BerthProcess berth) throws Exception {
        Map<String, String> db = berth.databaseProperties();
        List<String> runs = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.get("spring.datasource.url"),
                db.getOrDefault("spring.datasource.username", "berth"), db.getOrDefault("spring.datasource.password", ""));
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT finished_at, tags_removed FROM retention_runs WHERE dry_run = FALSE ORDER BY id")) {
            while (r.next()) {
                if (r.getObject(1) == null || r.getInt(2) > 0) {
                    runs.add(r.getObject(1) == null ? "unfinished" : "finished, " + r.getInt(2) + " removed");
                }
            }
        }
        return runs;
    }

    private static TestImage image(String text) {
        return TestImage.create().layer(TestLayer.create().file("f.txt", text, 0644), MediaType.OCI_LAYER_GZIP);
    }

    private void assertPullsWhole(BerthProcess berth, TestImage image, Descriptor manifest, String tag) throws Exception {
        HttpResponse<byte[]> m = http.send(HttpRequest.newBuilder(berth.uri("/v2/" + REPO + "/manifests/" + tag))
                .header("Accept", MediaType.OCI_MANIFEST.value()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(m.statusCode()).as(tag).isEqualTo(200);
        assertThat(Digest.sha256(m.body())).isEqualTo(manifest.digest());
        List<byte[]> blobs = new ArrayList<>(image.layerBlobs());
        blobs.add(image.config());
        for (byte[] blob : blobs) {
            Digest digest = Digest.sha256(blob);
            HttpResponse<byte[]> b = http.send(HttpRequest.newBuilder(berth.uri("/v2/" + REPO + "/blobs/" + digest)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(b.statusCode()).as(tag + " " + digest).isEqualTo(200);
            assertThat(Digest.sha256(b.body())).isEqualTo(digest);
        }
    }

    private static Path file(BerthProcess berth, Digest digest) {
        return berth.dataDir().resolve("blobs/sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    private static Exec.Result fsck(BerthProcess berth) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", System.getProperty("berth.jar"), "fsck", "--data-dir", berth.dataDir().toString()));
        command.addAll(berth.databaseArguments());
        return Exec.of(command).directory(berth.dataDir()).timeout(Duration.ofMinutes(3)).run();
    }
}
