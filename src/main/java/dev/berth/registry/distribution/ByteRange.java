package dev.berth.registry.distribution;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single {@code Range: bytes=…} request (RFC 9110): {@code a-b}, {@code a-} or {@code -n}.
 * Anything the registry does not serve as a part (several ranges, other units, garbage) is
 * ignored, as the RFC allows, and the whole blob is sent.
 */
record ByteRange(long start, long length) {

    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    private static final Pattern SINGLE = Pattern.compile("bytes=([0-9]{0,18})-([0-9]{0,18})");

    /** @return the range, null to send the whole blob, or {@link #UNSATISFIABLE} */
    static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            long length = Math.min(suffix, size);
            return new ByteRange(size - length, length);
        }
        long start = Long.parseLong(m.group(1));
        if (start >= size) {
            return UNSATISFIABLE;
        }
        long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
        if (end < start) {
            return null;
        }
        return new ByteRange(start, end - start + 1);
    }
}
