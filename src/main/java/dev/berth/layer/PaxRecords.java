package dev.berth.layer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The extended attributes in the raw bytes of a PAX header: a sequence of {@code LEN KEY=VALUE\n}
 * records, LEN counting the record's own bytes in decimal. A record whose length runs past the
 * header or does not end in its newline is refused: the header lies about its records.
 */
final class PaxRecords {

    private static final String SCHILY = "SCHILY.xattr.";
    private static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

    private PaxRecords() {
    }

    static List<Xattr> xattrs(byte[] header) {
        if (header.length == 0) {
            return List.of();
        }
        Map<String, Xattr> found = new LinkedHashMap<>(); // a later record of a name wins, as in tar
        int pos = 0;
        while (pos < header.length) {
            if (header[pos] == 0 && allNul(header, pos)) {
                break; // padding some writers leave after the last record
            }
            int space = pos;
            long length = 0;
            while (space < header.length && header[space] >= '0' && header[space] <= '9' && space - pos < 8) {
                length = length * 10 + (header[space] - '0');
                space++;
            }
            if (space == pos || space >= header.length || header[space] != ' ') {
                throw lie(pos, "does not start with its length");
            }
            long end = pos + length;
            if (end > header.length || length <= space - pos + 1) {
                throw lie(pos, "says it is " + length + " bytes long, past the end of its header of " + header.length);
            }
            if (header[(int) end - 1] != '\n') {
                throw lie(pos, "does not end where its length of " + length + " says");
            }
            int equals = indexOf(header, (byte) '=', space + 1, (int) end - 1);
            if (equals < 0) {
                throw lie(pos, "has no '='");
            }
            String key = new String(header, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            byte[] value = java.util.Arrays.copyOfRange(header, equals + 1, (int) end - 1);
            if (key.startsWith(SCHILY) && key.length() > SCHILY.length()) {
                String name = key.substring(SCHILY.length());
                found.put(name, new Xattr(name, value));
            } else if (key.startsWith(LIBARCHIVE) && key.length() > LIBARCHIVE.length()) {
                String name = percentDecoded(key.substring(LIBARCHIVE.length()), pos);
                try {
                    found.putIfAbsent(name, new Xattr(name, Base64.getDecoder().decode(value)));
                } catch (IllegalArgumentException e) {
                    throw lie(pos, "has a " + LIBARCHIVE + " value that is not base64");
                }
            }
            pos = (int) end;
        }
        return new ArrayList<>(found.values());
    }

    /** libarchive writes an attribute's name with %XX escapes. */
    private static String percentDecoded(String name, int pos) {
        if (name.indexOf('%') < 0) {
            return name;
        }
        try {
            return java.net.URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw lie(pos, "has a badly escaped attribute name");
        }
    }

    private static boolean allNul(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static Refusal lie(int pos, String what) {
        return new Refusal("the PAX record at byte " + pos + " of its header " + what);
    }
}
