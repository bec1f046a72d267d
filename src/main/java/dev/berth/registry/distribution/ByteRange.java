package dev.berth.registry.distribution;

import java.util.List;
import org.springframework.http.HttpRange;

/**
 * The part of a blob a {@code Range} header asks for (RFC 9110): {@code bytes=a-b}, {@code a-} or
 * {@code -n}, parsed by Spring's {@link HttpRange}. What Spring leaves to the caller is decided
 * here: a header it refuses (another unit, garbage, {@code b} before {@code a}, more than 100 ranges)
 * is ignored, as the RFC allows, and so are several ranges (a {@code multipart/byteranges} answer
 * could not go out by sendfile): the whole blob is sent. A single range that starts at or past the
 * end (including any range of an empty blob, and {@code -0}) cannot be satisfied: Spring answers
 * it with a start after its end, this with {@link #UNSATISFIABLE}.
 */
record ByteRange(long start, long length) {

    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    /** @return the range, null to send the whole blob, or {@link #UNSATISFIABLE} */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        List<HttpRange> ranges;
        try {
            ranges = HttpRange.parseRanges(header);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (ranges.size() != 1) {
            return null;
        }
        HttpRange range = ranges.get(0);
        long start = range.getRangeStart(size);
        if (start >= size) {
            return UNSATISFIABLE;
        }
        return new ByteRange(start, range.getRangeEnd(size) - start + 1);
    }
}
