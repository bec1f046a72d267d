package dev.berth.layer;

import java.util.Arrays;

/**
 * One extended attribute of an entry, from its PAX header: {@code SCHILY.xattr.NAME} (GNU tar,
 * docker, buildah: the value's raw bytes) or {@code LIBARCHIVE.xattr.NAME} (bsdtar: base64). The
 * reader gives every one it finds; which of them may be applied is the runtime's to decide.
 *
 * @param value the bytes as the layer has them; a file capability's contain bytes of 0x80 and up
 */
public record Xattr(String name, byte[] value) {

    @Override
    public boolean equals(Object o) {
        return o instanceof Xattr x && x.name.equals(name) && Arrays.equals(x.value, value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + " (" + value.length + " bytes)";
    }
}
