package dev.berth.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * commons-compress's tar reader, keeping the raw bytes of each PAX extended header ('x') as it
 * reads them. It decodes PAX values as UTF-8 strings, which turns a binary value (a file
 * capability's bytes of 0x80 and up) into U+FFFD; {@link PaxRecords} parses the bytes kept here
 * instead. It reads a header's records through {@link #read(byte[], int, int)} while that header is
 * its current entry, which is where they are copied. A PAX header ('x' or 'g') of more than
 * {@link #MAX_HEADER} bytes is refused before any of it is read (it is names and a few values), and
 * so are 'x' headers that add up to more than that before one entry.
 */
final class PaxCapture extends TarArchiveInputStream {

    static final int MAX_HEADER = 1 << 20;

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    PaxCapture(InputStream in) {
        super(in);
    }

    /** Forgets what was kept, before the next entry is read. */
    void clear() {
        captured.reset();
    }

    /** The records of the 'x' headers read since {@link #clear}: those of the entry just read. */
    byte[] captured() {
        return captured.toByteArray();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        TarArchiveEntry current = getCurrentEntry();
        boolean pax = current != null && current.isPaxHeader();
        if (pax || current != null && current.isGlobalPaxHeader()) {
            if (current.getSize() > MAX_HEADER) {
                throw new Refusal("a PAX header of " + current.getSize() + " bytes, more than " + SizeLimit.describe(MAX_HEADER));
            }
        }
        int n = super.read(buffer, offset, length);
        if (pax && n > 0) {
            if (captured.size() + n > MAX_HEADER) { // a run of 'x' headers before one entry, each under the limit
                throw new Refusal("PAX headers of more than " + SizeLimit.describe(MAX_HEADER) + " before one entry");
            }
            captured.write(buffer, offset, n);
        }
        return n;
    }
}
