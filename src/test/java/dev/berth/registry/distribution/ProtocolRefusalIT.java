package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testing.DatabaseNeutral;
import org.junit.jupiter.api.Test;

/**
 * Requests the HTTP layer refuses before any servlet runs, over a raw socket: each answer is the
 * OCI envelope with the status Tomcat chose (431 for a header too large) and a message that says
 * what was refused, never "internal error", since nothing failed.
 */
@DatabaseNeutral
class ProtocolRefusalIT extends OciSpecTest {

    private RawHttp.Answer raw(String head) {
        return RawHttp.exchange(port, head, null, false);
    }

    private static void assertRefused(RawHttp.Answer answer, int status, String code, String message) {
        assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.header("Docker-Distribution-API-Version")).isEqualTo("registry/2.0");
        assertErrorBody(answer.body(), code);
        String said = RawHttp.JSON.readTree(answer.body()).get("errors").get(0).get("message").asString();
        assertThat(said).as("message").contains(message).doesNotContain("internal error");
    }

    @Test
    void anUnsupportedTransferEncodingIs501SayingWhich() {
        String upload = registry().post("/v2/" + uniqueName("refusal") + "/blobs/uploads/", new byte[0]).header("Location");
        assertRefused(raw("PATCH " + upload + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n"),
                501, "UNSUPPORTED", "transfer encoding gzip is not supported");
        assertRefused(raw("GET /v2/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n"),
                501, "UNSUPPORTED", "transfer encoding gzip is not supported");
    }

    @Test
    void anUnsupportedHttpVersionIs505() {
        assertRefused(raw("GET /v2/ HTTP/2.0\r\nHost: x\r\nConnection: close\r\n\r\n"), 505, "UNSUPPORTED",
                "HTTP version HTTP/2.0 is not supported");
        assertRefused(raw("GET / HTTP/3.0\r\nHost: x\r\nConnection: close\r\n\r\n"), 505, "UNSUPPORTED",
                "HTTP version HTTP/3.0 is not supported");
    }

    @Test
    void aMalformedRequestLineIs400SayingWhichPart() {
        assertRefused(raw("G(T /v2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400, "UNSUPPORTED",
                "the method is not an HTTP token");
        assertRefused(raw("GET /v2/a/b/tags/list?n=<1> HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400, "UNSUPPORTED",
                "the request target holds a character that must be percent-encoded");
        assertRefused(raw("GET /v2/a b/tags/list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 400, "UNSUPPORTED",
                "a space in the target must be %20");
        assertRefused(raw("GET /v2/ HTTP/1.1\r\nHost: x\r\nBad Header: y\r\nConnection: close\r\n\r\n"), 400, "UNSUPPORTED",
                "malformed header line");
    }

    @Test
    void headersTooLargeAre431WithTheLimit() {
        String filler = "f".repeat(20_000);
        assertRefused(raw("GET /v2/ HTTP/1.1\r\nHost: x\r\nX-Filler: " + filler + "\r\nConnection: close\r\n\r\n"), 431, "UNSUPPORTED",
                "the request line and headers are larger than the server's limit of ");
        assertRefused(raw("GET /v2/" + filler + "/tags/list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 431, "UNSUPPORTED",
                "the request line and headers are larger than the server's limit of ");
    }

    @Test
    void headersTomcatRefusesAre400NamingTheHeader() {
        assertRefused(raw("GET /v2/ HTTP/1.1\r\nConnection: close\r\n\r\n"), 400, "UNSUPPORTED", "needs a Host header");
        assertRefused(raw("GET /v2/ HTTP/1.1\r\nHost: x\r\nHost: y\r\nConnection: close\r\n\r\n"), 400, "UNSUPPORTED",
                "more than one Host header");
        assertRefused(raw("PUT /v2/ HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n"),
                400, "UNSUPPORTED", "more than one Content-Length header");
        assertRefused(raw("PUT /v2/ HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\nConnection: close\r\n\r\n"), 400, "UNSUPPORTED",
                "the Content-Length header is not a number");
        assertRefused(raw("PUT /v2/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\nConnection: close\r\n\r\n"),
                400, "UNSUPPORTED", "names a coding after chunked");
    }

    @Test
    void otherMethodsAndExpectationsTomcatRefuseSaySo() {
        assertRefused(raw("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 501, "UNSUPPORTED",
                "the CONNECT method is not supported");
        assertRefused(raw("TRACE /v2/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 405, "UNSUPPORTED",
                "the TRACE method is not allowed");
        assertRefused(raw("GET /v2/ HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nConnection: close\r\n\r\n"), 417, "UNSUPPORTED",
                "Expect: 100-continue");
    }

    @Test
    void theRegistryStillAnswersAfterwards() {
        raw("GET /v2/ HTTP/2.0\r\nHost: x\r\nConnection: close\r\n\r\n");
        raw("GET /v2/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n");

        assertThat(registry().get("/v2/").status()).isEqualTo(200);
    }
}
