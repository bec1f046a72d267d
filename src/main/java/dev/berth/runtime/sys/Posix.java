package dev.berth.runtime.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * The system calls the runtime needs and Java does not offer: device nodes (and overlay
 * whiteouts), extended attributes on the link itself, mounts, and owner, mode and times set by
 * name relative to a directory descriptor without following a link ({@link Directory}). Java's
 * own {@code setTimes} opens the file, which waits forever on a FIFO and fails on {@code /dev/ptmx};
 * nothing here opens anything but directories. Errors are {@link SystemCallException}s that name
 * the call, the path and the errno text.
 */
public final class Posix {

    public static final int S_IFMT = 0170000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFLNK = 0120000;
    public static final long MS_RDONLY = 1;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final int MNT_DETACH = 2;
    public static final int ENOENT = 2;
    public static final int ENOTDIR = 20;
    public static final int ELOOP = 40;
    public static final int ENOTSUP = 95;
    private static final int EPERM = 1;
    private static final int ENOSYS = 38;
    private static final int ENODATA = 61;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int O_PATH = 010000000;
    private static final int O_CLOEXEC = 02000000;
    /** O_DIRECTORY and O_NOFOLLOW are the asm-generic values except on arm and powerpc. */
    private static final boolean ARM_FLAGS = System.getProperty("os.arch").matches("aarch64|arm.*|ppc.*");
    private static final int O_DIRECTORY = ARM_FLAGS ? 040000 : 0200000;
    private static final int O_NOFOLLOW = ARM_FLAGS ? 0100000 : 0400000;
    /** fchmodat2 (Linux 6.6) has one number on every architecture since the 5.1 unification. */
    private static final long SYS_FCHMODAT2 = 452;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static volatile boolean noFchmodat2;

    /** Direct mapping: a tenth of the cost per call of an interface proxy, which counts at several calls per tar entry. */
    private static final class C {
        static {
            Native.register("c");
        }

        static native int mknod(String path, int mode, long dev) throws LastErrorException;

        static native int lsetxattr(String path, String name, byte[] value, long size, int flags) throws LastErrorException;

        static native long lgetxattr(String path, String name, byte[] value, long size) throws LastErrorException;

        static native int mount(String source, String target, String type, long flags, String data) throws LastErrorException;

        static native int umount2(String target, int flags) throws LastErrorException;

        static native int openat(int dirfd, String path, int flags, int mode) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int statx(int dirfd, String path, int flags, int mask, byte[] buffer) throws LastErrorException;

        static native int fchownat(int dirfd, String path, int uid, int gid, int flags) throws LastErrorException;

        static native int fchmodat(int dirfd, String path, int mode, int flags) throws LastErrorException;

        static native long syscall(long number, long dirfd, String path, long mode, long flags) throws LastErrorException;

        static native int utimensat(int dirfd, String path, long[] times, int flags) throws LastErrorException;

        static native String strerror(int errno);
    }

    private Posix() {
    }

    /** A device number as glibc's {@code makedev} builds it. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    /**
     * Makes a node; it never follows a link, and an existing name fails.
     *
     * @param type {@link #S_IFCHR}, {@link #S_IFBLK} or {@link #S_IFIFO}
     */
    public static void mknod(Path path, int type, int permissions, int major, int minor) throws IOException {
        try {
            C.mknod(path.toString(), type | (permissions & 07777), makedev(major, minor));
        } catch (LastErrorException e) {
            throw error("mknod", path, e);
        }
    }

    public static void lsetxattr(Path path, String name, byte[] value) throws IOException {
        try {
            C.lsetxattr(path.toString(), name, value, value.length, 0);
        } catch (LastErrorException e) {
            throw error("setxattr " + name, path, e);
        }
    }

    /** The attribute's value, or null when the file has none. */
    public static byte[] lgetxattr(Path path, String name) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            long n = C.lgetxattr(path.toString(), name, buffer, buffer.length);
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
            C.mount(source, target.toString(), type, flags, data);
        } catch (LastErrorException e) {
            throw error("mount " + type, target, e);
        }
    }

    public static void unmount(Path target) throws IOException {
        try {
            C.umount2(target.toString(), MNT_DETACH);
        } catch (LastErrorException e) {
            throw error("umount", target, e);
        }
    }

    /** What {@code statx} says of a name, the link itself for a symlink. */
    public record Stat(int mode, long device, long inode, int uid, int gid, int rdevMajor, int rdevMinor, FileTime mtime) {

        public int type() {
            return mode & S_IFMT;
        }

        public boolean isDirectory() {
            return type() == S_IFDIR;
        }

        public boolean isSymlink() {
            return type() == S_IFLNK;
        }

        /** Whether both name the same file: the same inode on the same device. */
        public boolean sameFile(Stat other) {
            return other != null && device == other.device && inode == other.inode;
        }
    }

    /**
     * An {@code O_PATH} descriptor of a directory, under which names are looked at and changed one
     * component at a time without following a link: {@link #child} refuses a symlink, and owner,
     * mode and times are set with {@code AT_SYMLINK_NOFOLLOW} (a symlink's mode is never set).
     */
    public static final class Directory implements AutoCloseable {

        private final int fd;
        private final Path path;

        private Directory(int fd, Path path) {
            this.fd = fd;
            this.path = path;
        }

        /** The directory at {@code path}, which is the caller's own: links on the way to it are followed. */
        public static Directory open(Path path) throws IOException {
            try {
                return new Directory(C.openat(AT_FDCWD, path.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0), path);
            } catch (LastErrorException e) {
                throw error("open", path, e);
            }
        }

        public Path path() {
            return path;
        }

        /** The directory {@code name} in this one; null when there is none or the name is a symlink or not a directory. */
        public Directory child(String name) throws IOException {
            try {
                return new Directory(C.openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0), path.resolve(name));
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENOENT || e.getErrorCode() == ENOTDIR || e.getErrorCode() == ELOOP) {
                    return null;
                }
                throw error("open", path.resolve(name), e);
            }
        }

        /** The name itself (a symlink is not followed), or null when there is none. */
        public Stat stat(String name) throws IOException {
            byte[] buffer = new byte[256];
            try {
                C.statx(fd, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENOENT) {
                    return null;
                }
                throw error("statx", path.resolve(name), e);
            }
            ByteBuffer b = ByteBuffer.wrap(buffer).order(ByteOrder.nativeOrder());
            FileTime mtime = FileTime.from(Instant.ofEpochSecond(b.getLong(112), Integer.toUnsignedLong(b.getInt(120))));
            return new Stat(Short.toUnsignedInt(b.getShort(28)), ((long) b.getInt(136) << 32) | Integer.toUnsignedLong(b.getInt(140)),
                    b.getLong(32), b.getInt(20), b.getInt(24), b.getInt(128), b.getInt(132), mtime);
        }

        public void chown(String name, int uid, int gid) throws IOException {
            try {
                C.fchownat(fd, name, uid, gid, AT_SYMLINK_NOFOLLOW);
            } catch (LastErrorException e) {
                throw error("chown", path.resolve(name), e);
            }
        }

        /** The mode of a name that is not a symlink (Linux has no mode for those, and a link is never followed). */
        public void chmod(String name, int mode) throws IOException {
            try {
                if (!noFchmodat2) {
                    try {
                        C.syscall(SYS_FCHMODAT2, fd, name, mode & 07777, AT_SYMLINK_NOFOLLOW);
                        return;
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() != ENOSYS && e.getErrorCode() != EPERM) {
                            throw e;
                        }
                        noFchmodat2 = e.getErrorCode() == ENOSYS;
                    }
                }
                // Before Linux 6.6 glibc does the same through an O_PATH descriptor and /proc/self/fd.
                C.fchmodat(fd, name, mode & 07777, AT_SYMLINK_NOFOLLOW);
            } catch (LastErrorException e) {
                throw error("chmod", path.resolve(name), e);
            }
        }

        /**
         * Sets an extended attribute of the name itself, never through a link: by
         * {@code /proc/self/fd/FD/NAME}, which reaches this directory by its descriptor (not by
         * walking its path again) and looks the name up in it without following it.
         */
        public void setxattr(String name, String attribute, byte[] value) throws IOException {
            try {
                C.lsetxattr(byDescriptor(name), attribute, value, value.length, 0);
            } catch (LastErrorException e) {
                throw error("setxattr " + attribute, path.resolve(name), e);
            }
        }

        /** The attribute of the name itself (a link is not followed), or null when it has none. */
        public byte[] getxattr(String name, String attribute) throws IOException {
            byte[] buffer = new byte[64 * 1024]; // the most Linux holds in one value
            try {
                long n = C.lgetxattr(byDescriptor(name), attribute, buffer, buffer.length);
                return java.util.Arrays.copyOf(buffer, (int) n);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENODATA) {
                    return null;
                }
                throw error("getxattr " + attribute, path.resolve(name), e);
            }
        }

        private String byDescriptor(String name) {
            if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
                throw new IllegalArgumentException("not a name in a directory: " + name);
            }
            return "/proc/self/fd/" + fd + "/" + name;
        }

        /** Access and modification times of the name itself, without opening it. */
        public void setTimes(String name, FileTime atime, FileTime mtime) throws IOException {
            Instant a = atime.toInstant();
            Instant m = mtime.toInstant();
            try {
                C.utimensat(fd, name, new long[] {a.getEpochSecond(), a.getNano(), m.getEpochSecond(), m.getNano()},
                        AT_SYMLINK_NOFOLLOW);
            } catch (LastErrorException e) {
                throw error("utimensat", path.resolve(name), e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                C.close(fd);
            } catch (LastErrorException e) {
                throw error("close", path, e);
            }
        }
    }

    private static SystemCallException error(String call, Path path, LastErrorException e) {
        String text;
        try {
            text = C.strerror(e.getErrorCode());
        } catch (RuntimeException | LinkageError ignored) {
            text = "errno " + e.getErrorCode();
        }
        return new SystemCallException(call, path, e.getErrorCode(), text);
    }
}
