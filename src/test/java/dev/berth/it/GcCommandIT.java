package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.TestImage;
import dev.berth.testing.TestLayer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 8: {@code berth gc --dry-run} says what the next pass frees and changes nothing;
 * {@code berth gc} then frees exactly that, files included. The server's own worker is off.
 */
class GcCommandIT {

    @Test
    void aDryRunSaysWhatThePassThenFreesAndChangesNothing() throws Exception {
        try (BerthProcess berth = BerthProcess.start("gc-command", "-Xmx384m", "-Dberth.gc.enabled=false", "-Dberth.gc.review-delay=0s")) {
            RegistryPusher pusher = new RegistryPusher(berth.uri("/"));
            byte[] orphanBytes = new byte[12_345];
            new Random(5).nextBytes(orphanBytes);
            Descriptor orphan = pusher.blob("gc/app", MediaType.OCI_LAYER_GZIP, orphanBytes); // no manifest will hold it
            TestImage gone = TestImage.create().layer(TestLayer.create().file("gone.txt", "deleted with its manifest", 0644),
                    MediaType.OCI_LAYER_GZIP);
            Descriptor manifest = gone.push(pusher, "gc/app", "gone");
            TestImage.create().layer(TestLayer.create().file("kept.txt", "still tagged", 0644), MediaType.OCI_LAYER_GZIP)
                    .push(pusher, "gc/app", "kept");
            HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    berth.uri("/v2/gc/app/manifests/" + manifest.digest())).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(deleted.statusCode()).isEqualTo(202);
            List<Path> freed = List.of(file(berth, orphan.digest()), file(berth, Digest.sha256(gone.layerBlobs().get(0))),
                    file(berth, Digest.sha256(gone.config())));
            long bytes = orphan.size() + gone.layerBlobs().get(0).length + gone.config().length;
            berth.stop(); // the embedded H2 admits one process

            Exec.Result dry = gc(berth, "--dry-run");
            Exec.Result again = gc(berth, "--dry-run");

            assertThat(dry.exitCode()).as(dry.describe()).isZero();
            assertThat(dry.stdout().strip()).startsWith("would delete 3 blobs (" + bytes + " bytes) and 0 manifests, from ");
            assertThat(again.stdout()).as("a dry run changes nothing").isEqualTo(dry.stdout());
            assertThat(freed).allMatch(Files::exists);

            Exec.Result real = gc(berth);

            assertThat(real.exitCode()).as(real.describe()).isZero();
            assertThat(real.stdout().strip()).startsWith("deleted 3 blobs (" + bytes + " bytes) and 0 manifests, from ");
            assertThat(freed).noneMatch(Files::exists);
            assertThat(gc(berth, "--dry-run").stdout().strip()).startsWith("would delete 0 blobs (0 bytes)");
        }
    }

    private static Path file(BerthProcess berth, Digest digest) {
        return berth.dataDir().resolve("blobs/sha256").resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    private static Exec.Result gc(BerthProcess berth, String... options) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", System.getProperty("berth.jar"), "gc", "--data-dir", berth.dataDir().toString(),
                "--berth.gc.review-delay=0s")); // the settings serve ran with
        command.addAll(List.of(options));
        command.addAll(berth.databaseArguments());
        return Exec.of(command).directory(berth.dataDir()).timeout(Duration.ofMinutes(3)).run();
    }
}
