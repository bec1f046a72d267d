package dev.berth.runtime.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The system calls the runtime needs and Java does not offer: device nodes (and overlay
 * whiteouts), extended attributes on the link itself, and mounts. Errors become IOExceptions
 * that name the call, the path and the errno text.
 */
public final class Posix {

    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final long MS_RDONLY = 1;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final int MNT_DETACH = 2;
    private static final int ENODATA = 61;

    private interface LibC extends Library {
        int mknod(String path, int mode, long dev) throws LastErrorException;

        int lsetxattr(String path, String name, byte[] value, long size, int flags) throws LastErrorException;

        long lgetxattr(String path, String name, byte[] value, long size) throws LastErrorException;

        int mount(String source, String target, String type, long flags, String data) throws LastErrorException;

        int umount2(String target, int flags) throws LastErrorException;

        String strerror(int errno);
    }

    private static final class Holder {
        static final LibC C = Native.load("c", LibC.class);
    }

    private Posix() {
    }

    /** A device number as glibc's {@code makedev} builds it. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    /** @param type {@link #S_IFCHR}, {@link #S_IFBLK} or {@link #S_IFIFO} */
    public static void mknod(Path path, int type, int permissions, int major, int minor) throws IOException {
        try {
            Holder.C.mknod(path.toString(), type | (permissions & 07777), makedev(major, minor));
        } catch (LastErrorException e) {
            throw error("mknod", path, e);
        }
    }

    public static void lsetxattr(Path path, String name, byte[] value) throws IOException {
        try {
            Holder.C.lsetxattr(path.toString(), name, value, value.length, 0);
        } catch (LastErrorException e) {
            throw error("setxattr " + name, path, e);
        }
    }

    /** The attribute's value, or null when the file has none. */
    public static byte[] lgetxattr(Path path, String name) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            long n = Holder.C.lgetxattr(path.toString(), name, buffer, buffer.length);
            return java.util.Arrays.copyOf(buffer, (int) n);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENODATA) {
                return null;
            }
            throw error("getxattr " + name, path, e);
        }
    }

    public static void mount(String source, Path target, String type, long flags, String data) throws IOException {
        try {
            Holder.C.mount(source, target.toString(), type, flags, data);
        } catch (LastErrorException e) {
            throw error("mount " + type, target, e);
        }
    }

    public static void unmount(Path target) throws IOException {
        try {
            Holder.C.umount2(target.toString(), MNT_DETACH);
        } catch (LastErrorException e) {
            throw error("umount", target, e);
        }
    }

    private static IOException error(String call, Path path, LastErrorException e) {
        String text;
        try {
            text = Holder.C.strerror(e.getErrorCode());
        } catch (RuntimeException | LinkageError ignored) {
            text = "errno " + e.getErrorCode();
        }
        return new IOException(call + " " + path + ": " + text);
    }
}
