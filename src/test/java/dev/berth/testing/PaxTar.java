package dev.berth.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Tars written byte by byte, for what no tar writer will make: PAX extended headers ('x') with any
 * bytes as their records, binary values and lying lengths included, each before a ustar entry.
 */
public final class PaxTar {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A PAX record as tar writes it: {@code LEN KEY=VALUE\n}, LEN counting its own digits. */
    public static byte[] record(String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int rest = 1 + k.length + 1 + value.length + 1;
        int length = rest + String.valueOf(rest).length();
        if (String.valueOf(length).length() != String.valueOf(rest).length()) {
            length++;
        }
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.writeBytes((length + " " + key + "=").getBytes(StandardCharsets.UTF_8));
        r.writeBytes(value);
        r.write('\n');
        return r.toByteArray();
    }

    /** An 'x' header holding exactly these bytes as its records. */
    public PaxTar pax(byte[] records) {
        header("PaxHeaders/x", 'x', 0644, records.length, "");
        data(records);
        return this;
    }

    public PaxTar file(String name, byte[] content, int mode) {
        header(name, '0', mode, content.length, "");
        data(content);
        return this;
    }

    public PaxTar dir(String name, int mode) {
        header(name, '5', mode, 0, "");
        return this;
    }

    public PaxTar symlink(String name, String target) {
        header(name, '2', 0777, 0, target);
        return this;
    }

    /** The tar, with its two zero blocks at the end. */
    public byte[] tar() {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        t.writeBytes(out.toByteArray());
        t.writeBytes(new byte[1024]);
        return t.toByteArray();
    }

    private void header(String name, char type, int mode, long size, String link) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, String.format("%07o", mode));
        put(h, 108, 8, "0000000");
        put(h, 116, 8, "0000000");
        put(h, 124, 12, String.format("%011o", size));
        put(h, 136, 12, String.format("%011o", 1_700_000_000L));
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, String.format("%06o", sum));
        h[154] = 0;
        h[155] = ' ';
        out.writeBytes(h);
    }

    private void data(byte[] content) {
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }

    private static void put(byte[] h, int at, int width, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > width) {
            throw new IllegalArgumentException("too long for its field: " + text);
        }
        System.arraycopy(b, 0, h, at, b.length);
    }
}
