package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.DatabaseNeutral;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A blob eight times larger than the server's heap ({@code -Xmx256m}) goes in by chunked PATCHes
 * and comes back out, checked byte for byte as it streams: any whole-blob buffering in the server
 * would end it with an OutOfMemoryError (it runs with {@code -XX:+ExitOnOutOfMemoryError}).
 * The test data is generated from a seed as it is sent, never held in this JVM either.
 */
@DatabaseNeutral
class BigBlobStreamingIT {

    private static final long MIB = 1024 * 1024;
    /** Over 2 GiB, so that an int offset anywhere overflows; not a multiple of the chunk size. */
    private static final long SIZE = 2048 * MIB + 12_345;
    private static final long CHUNK = 64 * MIB;
    private static final long SEED = 2026;

    private static BerthProcess berth;
    private static RegistryHttp registry;

    @BeforeAll
    static void start() {
        berth = BerthProcess.start("streaming", "-Xmx256m");
        registry = new RegistryHttp(berth);
    }

    @AfterAll
    static void stop() throws IOException {
        if (berth != null) {
            berth.close();
        }
    }

    @Test
    void pushesAndPullsABlobMuchLargerThanTheServersHeap() throws Exception {
        String repository = "streaming/big";
        MessageDigest sent = TestFiles.sha256();
        URI location = registry.startUpload(repository);
        try (InputStream data = new DigestInputStream(new SeededBytes(SEED, SIZE), sent)) {
            for (long offset = 0; offset < SIZE; offset += CHUNK) {
                long length = Math.min(CHUNK, SIZE - offset);
                HttpResponse<String> response = registry.patch(location, SeededBytes.slice(data, length), offset, length);
                RegistryHttp.expect(response, 202);
                assertThat(response.headers().firstValue("Range")).hasValue("0-" + (offset + length - 1));
                location = RegistryHttp.location(response);
            }
        }
        String digest = "sha256:" + HexFormat.of().formatHex(sent.digest());

        HttpResponse<String> finished = registry.finish(location, digest);

        RegistryHttp.expect(finished, 201);
        assertThat(finished.headers().firstValue("Docker-Content-Digest")).hasValue(digest);
        HttpResponse<String> head = registry.headBlob(repository, digest);
        RegistryHttp.expect(head, 200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);

        RegistryHttp.Pulled pulled = registry.pull(repository, digest);
        assertThat(pulled.status()).as(pulled.error()).isEqualTo(200);
        assertThat(pulled.size()).isEqualTo(SIZE);
        assertThat(pulled.digest()).as("digest of the bytes pulled back").isEqualTo(digest);

        long tail = 3 * MIB;
        RegistryHttp.Pulled range = registry.pullRange(repository, digest, SIZE - tail, SIZE - 1);
        assertThat(range.status()).as(range.error()).isEqualTo(206);
        assertThat(range.digest()).as("the last bytes, past the 2 GiB mark").isEqualTo(tailDigest(tail));

        assertThat(berth.isAlive()).as(() -> "server still running\n" + berth.logTail()).isTrue();
        assertThat(berth.logContains("java.lang.OutOfMemoryError")).as(berth::logTail).isFalse();
    }

    /** The digest of the last {@code length} bytes of the test data, generated again. */
    private static String tailDigest(long length) throws IOException {
        InputStream data = new SeededBytes(SEED, SIZE);
        data.skipNBytes(SIZE - length);
        return TestFiles.digest(data);
    }
}
