package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Requests whose path tries to leave {@code /v2} or the storage root, or that the HTTP layer
 * itself rejects. They go over a raw socket, since {@code java.net.http} would normalize some of
 * them, and every answer must be the OCI errors envelope: never HTML, never a stack trace.
 */
class PathTraversalIT extends OciSpecTest {

    private static final String DIGEST = "sha256:" + "b".repeat(64);

    private RawHttp.Answer send(String method, String target) {
        return RawHttp.send(port, method, target, "", method.equals("GET") || method.equals("HEAD") || method.equals("DELETE") ? null : new byte[0]);
    }

    private static void assertJsonError(String target, RawHttp.Answer answer, int... statuses) {
        assertThat(answer.status()).as("status of %s: %s", target, answer.body()).isIn((Object[]) box(statuses));
        assertThat(answer.header("Content-Type")).as("Content-Type of %s", target).startsWith("application/json");
        assertThat(answer.body()).as("body of %s", target).doesNotContain("root:x:0:0");
        assertErrorBody(answer.body(), RawHttp.JSON.readTree(answer.body()).get("errors").get(0).get("code").asString());
    }

    private static Integer[] box(int[] values) {
        Integer[] out = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static String code(RawHttp.Answer answer) {
        return RawHttp.JSON.readTree(answer.body()).get("errors").get(0).get("code").asString();
    }

    @Test
    void dotSegmentsInTheNameAre400NameInvalid() {
        String[] targets = {
            "/v2/a/../b/tags/list",
            "/v2/a/./b/tags/list",
            "/v2/a/%2e%2e/b/tags/list",
            "/v2/a/%2E%2E/b/blobs/" + DIGEST,
            "/v2/a/b/%2e/tags/list",
            "/v2/a/b/../../c/manifests/latest",
        };
        for (String target : targets) {
            RawHttp.Answer answer = send("GET", target);
            assertJsonError(target, answer, 400);
            assertThat(code(answer)).as(target).isEqualTo("NAME_INVALID");
            assertThat(answer.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
        }
    }

    @Test
    void pathsThatClimbOutOfV2AreOciErrors() {
        String[] targets = {
            "/v2/../../etc/passwd/blobs/" + DIGEST,
            "/v2/../etc/passwd/blobs/" + DIGEST,
            "/v2/a/%2e%2e/%2e%2e/blobs/" + DIGEST,
            "/v2/a/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/v2/%2e%2e/actuator/health",
            "/v2/..%2f..%2fetc/passwd/blobs/" + DIGEST,
            "/v2/a/b/blobs/..%2F..%2F..%2Fetc%2Fpasswd",
            "/v2/a/b/blobs/sha256:..%2F..%2Fetc",
        };
        for (String target : targets) {
            assertJsonError(target, send("GET", target), 400, 404);
        }
    }

    @Test
    void encodedSlashesAndAbsoluteNamesAreOciErrors() {
        String[] targets = {
            "/v2/a%2Fb/tags/list",
            "/v2/a%2fb/blobs/" + DIGEST,
            "/v2/%2Fetc/passwd/tags/list",
            "/v2//etc/passwd/tags/list",
            "/v2///tags/list",
            "/v2/a%5Cb/tags/list",
            "/v2/a\\b/tags/list",
            "/v2/a%00b/tags/list",
            "/v2/a;x=y/b/tags/list",
            "/v2/a/b/manifests/..%2Flatest",
        };
        for (String target : targets) {
            assertJsonError(target, send("GET", target), 400, 404);
        }
    }

    @Test
    void writesThatTryToClimbOutStoreNothing() {
        Path outside = DATA_DIR.getParent().resolve("berth-escape-" + System.nanoTime());
        String[] targets = {
            "/v2/../../" + outside.getFileName() + "/blobs/uploads/",
            "/v2/a/%2e%2e/%2e%2e/%2e%2e/" + outside.getFileName() + "/blobs/uploads/",
            "/v2/a%2F..%2F..%2F" + outside.getFileName() + "/blobs/uploads/",
        };
        for (String target : targets) {
            assertJsonError(target, send("POST", target), 400, 404);
        }
        for (String target : new String[] {
            "/v2/a/blobs/uploads/..%2F..%2F..%2F" + outside.getFileName(),
            "/v2/a/blobs/uploads/%2e%2e",
            "/v2/a/manifests/..%2F..%2F" + outside.getFileName(),
        }) {
            assertJsonError(target, send("PUT", target), 400, 404);
            assertJsonError(target, send("PATCH", target), 400, 404);
        }
        assertThat(Files.exists(outside)).isFalse();
    }

    @Test
    void anAbsoluteFormRequestTargetIsRoutedLikeItsPath() {
        RawHttp.Answer answer = send("GET", "http://127.0.0.1:" + port + "/v2/../../etc/passwd/blobs/" + DIGEST);

        assertJsonError("absolute-form", answer, 400, 404);
    }

    @Test
    void requestsTheHttpLayerRejectsAreOciErrorsToo() {
        RawHttp.Answer badTarget = RawHttp.exchange(port, "GET /v2/a b/tags/list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", null, false);
        assertJsonError("space in target", badTarget, 400);

        RawHttp.Answer badChar = RawHttp.exchange(port, "GET /v2/a/b/tags/list?n=<1> HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", null, false);
        assertJsonError("< in query", badChar, 400);

        String hugeHeader = "X-Filler: " + "f".repeat(20_000) + "\r\n";
        RawHttp.Answer tooBig = RawHttp.exchange(port, "GET /v2/ HTTP/1.1\r\nHost: x\r\n" + hugeHeader + "Connection: close\r\n\r\n", null, false);
        assertJsonError("header too large", tooBig, 400, 431);

        RawHttp.Answer trace = RawHttp.send(port, "TRACE", "/v2/", "", null);
        assertJsonError("TRACE", trace, 405);

        RawHttp.Answer options = RawHttp.send(port, "OPTIONS", "/v2/a/b/tags/list", "", null);
        assertJsonError("OPTIONS", options, 405);
    }

    @Test
    void aBrowserAskingForHtmlStillGetsJson() {
        RawHttp.Answer answer = RawHttp.send(port, "GET", "/v2/a/%2e%2e/%2e%2e/blobs/" + DIGEST, "Accept: text/html\r\n", null);

        assertJsonError("Accept: text/html", answer, 400, 404);
    }
}
