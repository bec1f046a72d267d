package dev.berth.registry.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What part of a blob a {@code Range} header gets (RFC 9110 §14): one part, the whole blob, or 416. */
class ByteRangeTest {

    @ParameterizedTest(name = "{0} of {1} bytes is {2}+{3}")
    @CsvSource(delimiter = '|', value = {
        "bytes=2-5       | 10 | 2  | 4",
        "bytes=0-0       | 1  | 0  | 1",
        "bytes=0-9       | 10 | 0  | 10",
        "bytes=7-        | 15 | 7  | 8",
        "bytes=0-        | 10 | 0  | 10",
        "bytes=9-        | 10 | 9  | 1",
        "bytes=-3        | 17 | 14 | 3",
        "bytes=-10       | 10 | 0  | 10",
        "bytes=-20       | 10 | 0  | 10",
        "bytes=6-100     | 10 | 6  | 4",
        "bytes=3-999999999999999999 | 10 | 3 | 7",
        "bytes=100000-1399999 | 1500000 | 100000 | 1300000",
        "'bytes=1-2 '    | 10 | 1  | 2",
        "'bytes=1-2,'    | 10 | 1  | 2",
    })
    void aSingleSatisfiableRangeIsThatPart(String header, long size, long start, long length) {
        assertThat(ByteRange.parse(header, size)).isEqualTo(new ByteRange(start, length));
    }

    @ParameterizedTest(name = "{0} of {1} bytes cannot be satisfied")
    @CsvSource(delimiter = '|', value = {
        "bytes=10-20 | 10",
        "bytes=10-   | 10",
        "bytes=11-11 | 10",
        "bytes=-0    | 10",
        "bytes=0-    | 0",
        "bytes=0-0   | 0",
        "bytes=-5    | 0",
    })
    void aRangeFromTheEndOnIsUnsatisfiable(String header, long size) {
        assertThat(ByteRange.parse(header, size)).isSameAs(ByteRange.UNSATISFIABLE);
    }

    @ParameterizedTest(name = "[{0}] is ignored")
    @ValueSource(strings = {"bytes=0-1,3-4", "bytes=1-2, 4-5", "bytes=0-1,20-30", "bytes=5-2", "items=0-1", "BYTES=0-1", "bytes 0-1",
        "bytes = 0-1", "bytes=abc", "bytes=-", "bytes=", "", "bytes=1-x", "bytes=99999999999999999999-", "bytes=--1", "0-1"})
    void anyOtherHeaderIsIgnoredAndTheWholeBlobSent(String header) {
        assertThat(ByteRange.parse(header, 10)).isNull();
    }

    @org.junit.jupiter.api.Test
    void noHeaderSendsTheWholeBlob() {
        assertThat(ByteRange.parse(null, 10)).isNull();
    }

    @org.junit.jupiter.api.Test
    void tooManyRangesAreIgnored() {
        assertThat(ByteRange.parse("bytes=" + "0-0,".repeat(500) + "1-1", 10)).isNull();
    }
}
