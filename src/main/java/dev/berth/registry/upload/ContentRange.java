package dev.berth.registry.upload;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Content-Range} of a chunk: {@code <start>-<end>}, both inclusive, as the OCI spec
 * writes it (no {@code bytes } prefix; the prefix is tolerated since some clients send it).
 */
public record ContentRange(long start, long end) {

    private static final Pattern FORM = Pattern.compile("(?:bytes )?([0-9]{1,18})-([0-9]{1,18})");

    public ContentRange {
        if (start < 0 || end < start) {
            throw new OciException(OciErrorCode.BLOB_UPLOAD_INVALID, "Content-Range end is before its start: " + start + "-" + end);
        }
    }

    /** Parses a header value; null when the header is absent. */
    public static ContentRange parse(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = FORM.matcher(header.trim());
        if (!m.matches()) {
            throw new OciException(OciErrorCode.BLOB_UPLOAD_INVALID,
                    "Content-Range must be <start>-<end>, got: " + (header.length() > 60 ? header.substring(0, 60) : header));
        }
        return new ContentRange(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    public long length() {
        return end - start + 1;
    }
}
