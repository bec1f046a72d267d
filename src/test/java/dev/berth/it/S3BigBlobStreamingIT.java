package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.S3Proxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link BigBlobStreamingIT} on an S3 store: a blob eight times the server's heap goes in by
 * chunked PATCHes, as 8 MiB multipart-upload parts, to a real S3 server (s3proxy), and comes back
 * out through the server, checked as it streams; the upload spool never holds more than about two
 * parts. Any whole-blob or whole-chunk buffering would end the server with an OutOfMemoryError.
 */
@DatabaseNeutral
class S3BigBlobStreamingIT {

    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 2048 * MIB + 12_345;
    private static final long CHUNK = 64 * MIB;
    private static final long SEED = 2027;

    private static S3Proxy s3proxy;
    private static BerthProcess berth;
    private static RegistryHttp registry;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(BerthProcess.workRoot()), "s3proxy-big-");
        s3proxy = S3Proxy.start(dir, "big");
        berth = BerthProcess.start("s3-streaming", "-Xmx256m",
                "-Dberth.storage.type=s3",
                "-Dberth.storage.s3.endpoint=" + s3proxy.endpoint(),
                "-Dberth.storage.s3.bucket=big",
                "-Dberth.storage.s3.access-key=" + S3Proxy.ACCESS_KEY,
                "-Dberth.storage.s3.secret-key=" + S3Proxy.SECRET_KEY,
                "-Dberth.storage.s3.path-style-access=true");
        registry = new RegistryHttp(berth);
    }

    @AfterAll
    static void stop() throws IOException {
        if (berth != null) {
            berth.close();
        }
        if (s3proxy != null) {
            Path dir = s3proxy.bucketDir("big").getParent().getParent();
            s3proxy.close();
            TestFiles.deleteRecursively(dir);
        }
    }

    private static long spooled() throws IOException {
        try (Stream<Path> files = Files.list(berth.dataDir().resolve("s3-uploads"))) {
            return files.mapToLong(file -> file.toFile().length()).sum();
        }
    }

    @Test
    void pushesAndPullsABlobMuchLargerThanTheServersHeap() throws Exception {
        String repository = "streaming/big";
        MessageDigest sent = TestFiles.sha256();
        URI location = registry.startUpload(repository);
        long mostSpooled = 0;
        try (InputStream data = new DigestInputStream(new SeededBytes(SEED, SIZE), sent)) {
            for (long offset = 0; offset < SIZE; offset += CHUNK) {
                long length = Math.min(CHUNK, SIZE - offset);
                HttpResponse<String> response = registry.patch(location, SeededBytes.slice(data, length), offset, length);
                RegistryHttp.expect(response, 202);
                location = RegistryHttp.location(response);
                mostSpooled = Math.max(mostSpooled, spooled());
            }
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sent.digest());

        RegistryHttp.expect(registry.finish(location, digest), 201);

        // Between requests the spool holds the tail only, less than a part.
        assertThat(mostSpooled).isLessThan(8 * MIB);
        Path object = s3proxy.bucketDir("big").resolve("blobs/sha256/" + TestFiles.hex(digest).substring(0, 2) + "/" + TestFiles.hex(digest));
        assertThat(Files.size(object)).isEqualTo(SIZE);
        RegistryHttp.Pulled pulled = registry.pull(repository, digest);
        assertThat(pulled.status()).as(pulled.error()).isEqualTo(200);
        assertThat(pulled.size()).isEqualTo(SIZE);
        assertThat(pulled.digest()).as("digest of the bytes pulled back").isEqualTo(digest);
        long tail = 3 * MIB;
        RegistryHttp.Pulled range = registry.pullRange(repository, digest, SIZE - tail, SIZE - 1);
        assertThat(range.status()).as(range.error()).isEqualTo(206);
        InputStream data = new SeededBytes(SEED, SIZE);
        data.skipNBytes(SIZE - tail);
        assertThat(range.digest()).as("the last bytes, past the 2 GiB mark").isEqualTo(TestFiles.digest(data));

        assertThat(berth.isAlive()).as(() -> "server still running\n" + berth.logTail()).isTrue();
        assertThat(berth.logContains("java.lang.OutOfMemoryError")).as(berth::logTail).isFalse();
    }
}
