package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.OciErrorCode;
import org.apache.tomcat.util.res.StringManager;
import org.junit.jupiter.api.Test;

/**
 * A status the container chose gets the code {@link OciErrorCode#forStatus} gives it and a message
 * saying what was refused. (The cases that read the request's headers are in ProtocolRefusalIT.)
 */
class HttpRefusalTest {

    private static HttpRefusal of(int status, String tomcatMessage, Throwable cause) {
        return HttpRefusal.of(status, tomcatMessage, cause, null, 8192);
    }

    @Test
    void theCodeIsTheStatussCode() {
        for (int status : new int[] {401, 403, 404, 405, 408, 411, 413, 414, 416, 417, 418, 429, 500, 502, 503, 507}) {
            HttpRefusal refusal = of(status, null, null);
            assertThat(refusal.status()).isEqualTo(status);
            assertThat(refusal.code()).as("%d", status).isEqualTo(OciErrorCode.forStatus(status));
            assertThat(refusal.message()).as("%d", status).isNotBlank();
        }
        assertThat(of(408, null, null).message()).isEqualTo("the client stopped sending the request");
        assertThat(of(418, null, null).message()).isEqualTo("the request cannot be served (HTTP 418)");
        assertThat(of(502, null, null).message()).isEqualTo("internal error, see the server log");
    }

    @Test
    void aPathTomcatWillNotMapIsNameInvalid() {
        String invalidUri = StringManager.getManager("org.apache.catalina.connector").getString("coyoteAdapter.invalidURI");

        HttpRefusal refusal = of(400, invalidUri, null);

        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.code()).isEqualTo(OciErrorCode.NAME_INVALID);
        assertThat(refusal.message()).startsWith("invalid request path");
    }

    @Test
    void headersTooLargeAre431NamingTheLimit() {
        String tooLarge = StringManager.getManager("org.apache.coyote.http11").getString("iib.requestheadertoolarge.error");

        HttpRefusal refusal = of(400, null, new IllegalArgumentException(tooLarge));

        assertThat(refusal).isEqualTo(new HttpRefusal(431, OciErrorCode.UNSUPPORTED,
                "the request line and headers are larger than the server's limit of 8192 bytes"));
        assertThat(of(431, null, null).message()).endsWith("the server's limit of 8192 bytes");
    }

    @Test
    void theTraceMethodIsNamed() {
        String trace = StringManager.getManager("org.apache.catalina.connector").getString("coyoteAdapter.trace");

        assertThat(of(405, trace, null)).isEqualTo(new HttpRefusal(405, OciErrorCode.UNSUPPORTED, "the TRACE method is not allowed"));
        assertThat(of(405, null, null).message()).isEqualTo("method not allowed");
    }
}
