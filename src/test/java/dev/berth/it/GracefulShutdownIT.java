package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 3: SIGTERM to a real {@code berth serve} in the middle of a blob upload. The server
 * stops taking new connections while the upload still streams in; the upload finishes with 201
 * within the grace period; the process exits 0; after a restart the blob is served and
 * {@code berth fsck} finds nothing wrong.
 */
class GracefulShutdownIT {

    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 8 * MIB + 5;
    /** The body stops here until the server has been sent SIGTERM. */
    private static final long PAUSE_AT = 3 * MIB;

    @Test
    void sigtermFinishesTheUploadInProgressRefusesNewRequestsAndExitsZero() throws Exception {
        // A grace period longer than the test's own waits, so that only a server that does not wait fails it.
        try (BerthProcess berth = BerthProcess.start("graceful", "-Xmx256m", "-Dspring.lifecycle.timeout-per-shutdown-phase=3m")) {
            RegistryHttp registry = new RegistryHttp(berth);
            Probe.await(berth, "/actuator/health/readiness", "200");
            String repository = "graceful/app";
            long seed = 16;
            String digest = SeededBytes.digest(seed, SIZE);
            URI upload = registry.startUpload(repository);
            CountDownLatch resume = new CountDownLatch(1);
            CompletableFuture<HttpResponse<String>> put = registry.putAsync(upload, digest,
                    () -> new PausedAt(new SeededBytes(seed, SIZE), PAUSE_AT, resume), SIZE);
            awaitStaged(berth, upload, put);

            berth.terminate();
            String refusal = awaitRefusal(berth.port());
            assertThat(put).as("the upload is still in progress when new requests are refused").isNotDone();
            assertThat(berth.isAlive()).isTrue();
            System.out.printf("[graceful] a new request after SIGTERM: %s%n", refusal);

            resume.countDown();
            HttpResponse<String> finished = put.get(3, TimeUnit.MINUTES);
            assertThat(finished.statusCode()).as(finished.body()).isEqualTo(201);
            int exit = berth.awaitExit(Duration.ofMinutes(3));
            assertThat(exit).as("exit code after SIGTERM\n" + berth.logTail()).isZero();
            assertThat(berth.logContains("Graceful shutdown complete")).as(berth.logTail()).isTrue();
            // H2's own exit hook closed the database under the upload, until DB_CLOSE_ON_EXIT=FALSE.
            assertThat(berth.logContains("Database is already closed")).as(berth.logTail()).isFalse();

            berth.start();
            RegistryHttp.Pulled pulled = registry.pull(repository, digest);
            assertThat(pulled.status()).isEqualTo(200);
            assertThat(pulled.digest()).isEqualTo(digest);
            assertThat(pulled.size()).isEqualTo(SIZE);
            berth.stop();
            Exec.Result fsck = fsck(berth);
            assertThat(fsck.exitCode()).as(fsck.describe()).isZero();
        }
    }

    /** Until a fresh connection is refused or answered 503; a partial answer, a hang or an error status fails. */
    private static String awaitRefusal(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String answer = Probe.get(port, "/v2/");
            seen.add(answer);
            if (answer.equals("refused") || answer.equals("503")) {
                return answer;
            }
            // 200: not shutting down yet. Closed with no byte of an answer: the connection was in the
            // kernel's queue when the port closed (nothing served, so nothing half-served); the
            // port must still end up refusing.
            boolean unanswered = answer.equals("error: closed without an answer") || answer.contains("Connection reset");
            if (!answer.equals("200") && !unanswered) {
                fail("a request during shutdown got " + answer + " (answers so far: " + seen + ")");
            }
            Thread.sleep(100);
        }
        return fail("new requests were still served 2 minutes after SIGTERM: " + seen.size() + " answers");
    }

    private static void awaitStaged(BerthProcess berth, URI upload, CompletableFuture<HttpResponse<String>> put) throws Exception {
        Path staged = berth.dataDir().resolve("uploads").resolve(RegistryHttp.uploadId(upload));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(put).as("the upload ended before it paused").isNotDone();
            if (Files.exists(staged) && Files.size(staged) >= PAUSE_AT / 2) {
                return;
            }
            Thread.sleep(100);
        }
        fail("the server did not receive the first " + PAUSE_AT / 2 + " bytes");
    }

    private static Exec.Result fsck(BerthProcess berth) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", System.getProperty("berth.jar"), "fsck", "--data-dir", berth.dataDir().toString()));
        command.addAll(berth.databaseArguments());
        return Exec.of(command).directory(berth.dataDir()).timeout(Duration.ofMinutes(3)).run();
    }

    /** Hands out its first {@code pauseAt} bytes, then waits for {@code resume} before the rest. */
    private static final class PausedAt extends FilterInputStream {
        private final long pauseAt;
        private final CountDownLatch resume;
        private long read;

        PausedAt(InputStream in, long pauseAt, CountDownLatch resume) {
            super(in);
            this.pauseAt = pauseAt;
            this.resume = resume;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read >= pauseAt) {
                try {
                    if (!resume.await(5, TimeUnit.MINUTES)) {
                        throw new IOException("never resumed");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            int n = super.read(b, off, (int) Math.min(len, read < pauseAt ? pauseAt - read : len));
            if (n > 0) {
                read += n;
            }
            return n;
        }
    }
}
