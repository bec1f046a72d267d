package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

/** What code a failure on {@code /v2} is answered with, and whether that answer closes the connection. */
class V2FailuresTest {

    private final V2Failures failures = new V2Failures(null);

    @Test
    void eachKindOfFailureHasItsCode() {
        assertThat(V2Failures.codeOf(new OciException(OciErrorCode.BLOB_UNKNOWN, "x"))).isEqualTo(OciErrorCode.BLOB_UNKNOWN);
        assertThat(V2Failures.codeOf(new V2Methods.MethodNotAllowed("x", "GET"))).isEqualTo(OciErrorCode.UNSUPPORTED);
        assertThat(V2Failures.codeOf(new EOFException())).isEqualTo(OciErrorCode.SIZE_INVALID);
        assertThat(V2Failures.codeOf(new UncheckedIOException(new IOException("No space left on device"))))
                .isEqualTo(OciErrorCode.INSUFFICIENT_STORAGE);
        assertThat(V2Failures.codeOf(new IOException("Disk quota exceeded"))).isEqualTo(OciErrorCode.INSUFFICIENT_STORAGE);
        assertThat(V2Failures.codeOf(new DataAccessResourceFailureException("gone"))).isEqualTo(OciErrorCode.UNAVAILABLE);
        assertThat(V2Failures.codeOf(new IOException("Input/output error"))).isEqualTo(OciErrorCode.UNKNOWN);
        assertThat(V2Failures.codeOf(new IllegalStateException())).isEqualTo(OciErrorCode.UNKNOWN);
    }

    @Test
    void theStatusesTomcatClosesTheConnectionAfterAreAnsweredAtOnce() {
        for (OciErrorCode code : OciErrorCode.values()) {
            boolean closes = switch (code.httpStatus()) {
                case 400, 413, 500, 503 -> true;
                default -> false;
            };
            assertThat(failures.closesConnection(new OciException(code, "x"))).as(code.name()).isEqualTo(closes);
        }
        assertThat(failures.closesConnection(new EOFException())).isTrue();
        assertThat(failures.closesConnection(new IOException("No space left on device"))).isFalse();
        assertThat(failures.closesConnection(new DataAccessResourceFailureException("gone"))).isTrue();
        assertThat(failures.closesConnection(new IllegalStateException())).isTrue();
    }

    @Test
    void aCauseIsFoundDownTheChain() {
        assertThat(V2Failures.causedBy(new IOException(new java.net.SocketTimeoutException()), java.net.SocketTimeoutException.class)).isTrue();
        assertThat(V2Failures.causedBy(new IOException("x"), EOFException.class)).isFalse();
    }
}
