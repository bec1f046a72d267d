package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.TestImage;
import dev.berth.testing.TestLayer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14: {@code kill -9} of a server while its garbage collector deletes, then a restart on the
 * same data directory and database: the images still tagged pull whole with their digests, GC
 * finishes what the killed pass left (its open transaction rolled back, its reviews stay queued),
 * and {@code berth fsck} finds nothing lost, nothing corrupt, and nothing left over.
 */
@Timeout(600)
class GcCrashIT {

    private static final int DELETED = 40;
    private static final int KEPT = 10;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void killedWhileGcDeletesLosesNothingAndTheRestartFinishesTheWork() throws Exception {
        try (BerthProcess berth = BerthProcess.start("gc-crash", "-Xmx384m", "-Dberth.gc.review-delay=3s",
                "-Dberth.gc.interval=200ms")) {
            RegistryPusher pusher = new RegistryPusher(berth.uri("/"));
            List<TestImage> kept = new ArrayList<>();
            List<Descriptor> keptManifests = new ArrayList<>();
            for (int i = 0; i < KEPT; i++) {
                TestImage image = image("kept " + i);
                kept.add(image);
                keptManifests.add(image.push(pusher, "crash/gc", "kept-" + i));
            }
            List<Path> doomed = new ArrayList<>();
            List<Digest> doomedManifests = new ArrayList<>();
            for (int i = 0; i < DELETED; i++) {
                TestImage image = image("doomed " + i);
                doomedManifests.add(image.push(pusher, "crash/gc", "doomed-" + i).digest());
                doomed.add(file(berth, Digest.sha256(image.layerBlobs().get(0))));
            }

            // Pushed blobs are kept for the review delay (3 s), enough for their manifests to follow them.
            for (Digest manifest : doomedManifests) {
                HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(berth.uri("/v2/crash/gc/manifests/" + manifest))
                        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(deleted.statusCode()).isEqualTo(202);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (doomed.stream().allMatch(Files::exists) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            berth.kill(); // as soon as GC deleted its first file: in the middle of its pass
            long left = doomed.stream().filter(Files::exists).count();
            assertThat(left).as("GC had begun and not finished when the server was killed").isBetween(1L, (long) DELETED - 1);

            berth.start();
            for (int i = 0; i < KEPT; i++) {
                assertPullsWhole(berth, kept.get(i), keptManifests.get(i), "kept-" + i);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (doomed.stream().anyMatch(Files::exists) && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(doomed).as("the restarted server's GC finished the killed pass").noneMatch(Files::exists);
            berth.stop(); // the embedded H2 admits one process

            Exec.Result fsck = fsck(berth);

            assertThat(fsck.exitCode()).as(fsck.describe()).isZero();
            assertThat(fsck.stdout()).doesNotContain("LOST").doesNotContain("CORRUPT");
        }
    }

    private static TestImage image(String text) {
        return TestImage.create().layer(TestLayer.create().file("f.txt", text, 0644), MediaType.OCI_LAYER_GZIP);
    }

    private void assertPullsWhole(BerthProcess berth, TestImage image, Descriptor manifest, String tag) throws Exception {
        HttpResponse<byte[]> m = http.send(HttpRequest.newBuilder(berth.uri("/v2/crash/gc/manifests/" + tag))
                .header("Accept", MediaType.OCI_MANIFEST.value()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(Digest.sha256(m.body())).isEqualTo(manifest.digest());
        List<byte[]> blobs = new ArrayList<>(image.layerBlobs());
        blobs.add(image.config());
        for (byte[] blob : blobs) {
            Digest digest = Digest.sha256(blob);
            HttpResponse<byte[]> b = http.send(HttpRequest.newBuilder(berth.uri("/v2/crash/gc/blobs/" + digest)).build(),
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
