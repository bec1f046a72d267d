package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Status and code, both ways: a code's status, and the code of a status the server did not choose as a code. */
class OciErrorCodeTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "400, UNSUPPORTED", "401, UNAUTHORIZED", "403, DENIED", "404, NOT_FOUND", "405, UNSUPPORTED", "408, BLOB_UPLOAD_INVALID",
        "411, SIZE_INVALID", "413, SIZE_INVALID", "414, UNSUPPORTED", "416, RANGE_INVALID", "417, UNSUPPORTED", "418, UNSUPPORTED",
        "429, TOOMANYREQUESTS", "431, UNSUPPORTED", "500, UNKNOWN", "501, UNSUPPORTED", "502, UNKNOWN", "503, UNAVAILABLE",
        "505, UNSUPPORTED", "507, INSUFFICIENT_STORAGE", "599, UNKNOWN",
    })
    void aContainersStatusHasOneCode(int status, OciErrorCode code) {
        assertThat(OciErrorCode.forStatus(status)).isEqualTo(code);
    }

    @Test
    void aStatusThatNamesOneCodeMapsBackToIt() {
        for (OciErrorCode code : new OciErrorCode[] {OciErrorCode.UNAUTHORIZED, OciErrorCode.DENIED, OciErrorCode.UNSUPPORTED,
                OciErrorCode.RANGE_INVALID, OciErrorCode.TOOMANYREQUESTS, OciErrorCode.UNKNOWN, OciErrorCode.UNAVAILABLE,
                OciErrorCode.INSUFFICIENT_STORAGE}) {
            assertThat(OciErrorCode.forStatus(code.httpStatus())).as(code.name()).isEqualTo(code);
        }
    }

    @Test
    void codesWithoutOneOfTheirOwnBorrowTheNearestOnTheWire() {
        assertThat(OciErrorCode.MANIFEST_TOO_LARGE.wireCode()).isEqualTo("MANIFEST_INVALID");
        assertThat(OciErrorCode.MANIFEST_TOO_LARGE.httpStatus()).isEqualTo(413);
        assertThat(OciErrorCode.NOT_FOUND.wireCode()).isEqualTo("UNSUPPORTED");
        assertThat(OciErrorCode.NOT_FOUND.httpStatus()).isEqualTo(404);
        assertThat(OciErrorCode.INSUFFICIENT_STORAGE.wireCode()).isEqualTo("UNKNOWN");
        assertThat(OciErrorCode.BLOB_UNKNOWN.wireCode()).isEqualTo("BLOB_UNKNOWN");
    }
}
