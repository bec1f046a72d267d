package dev.berth.registry.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A chunk's {@code Content-Range}: {@code <start>-<end>}, inclusive, as the OCI spec writes it. */
class ContentRangeTest {

    @ParameterizedTest(name = "[{0}] is {1}-{2}")
    @CsvSource(delimiter = '|', value = {
        "0-0             | 0    | 0",
        "0-1023          | 0    | 1023",
        "1024-2047       | 1024 | 2047",
        "'bytes 5-9'     | 5    | 9",
        "' 5-9 '         | 5    | 9",
        "999999999999999998-999999999999999999 | 999999999999999998 | 999999999999999999",
    })
    void parsesStartAndEnd(String header, long start, long end) {
        ContentRange range = ContentRange.parse(header);
        assertThat(range).isEqualTo(new ContentRange(start, end));
        assertThat(range.length()).isEqualTo(end - start + 1);
    }

    @Test
    void noHeaderIsNoRange() {
        assertThat(ContentRange.parse(null)).isNull();
    }

    @ParameterizedTest(name = "[{0}] is refused")
    @ValueSource(strings = {"", "5", "5-", "-5", "a-b", "bytes=0-9", "bytes 0-9/10", "0-9/10", "0 - 9", "+1-2", "0x0-0x9", "1,2-3",
        "9-0", "1-0", "1234567890123456789-1234567890123456790", "bytes */10"})
    void anythingElseIsBlobUploadInvalid(String header) {
        assertThatThrownBy(() -> ContentRange.parse(header))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.BLOB_UPLOAD_INVALID));
    }

    @Test
    void theMessageQuotesALongHeaderShortened() {
        assertThatThrownBy(() -> ContentRange.parse("x".repeat(10_000))).isInstanceOf(OciException.class)
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(120));
    }
}
