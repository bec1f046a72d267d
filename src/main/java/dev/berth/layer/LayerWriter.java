package dev.berth.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a layer's tar as {@code berth build} makes one: directories, regular files (streamed) and
 * symbolic links, each with the mode, owner and mtime given, names relative ({@code app/bin}, a
 * directory's with a trailing {@code /}); long names and sizes past 8 GiB in PAX headers. The same
 * entries give the same bytes. {@link #finish} writes the end of the tar; the caller closes its stream
 * (and compresses it, if it wants).
 */
public final class LayerWriter {

    private final TarArchiveOutputStream tar;

    public LayerWriter(OutputStream out) {
        tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** @param mode permission bits with setuid, setgid and sticky (07777) */
    public void directory(String path, int mode, long uid, long gid, FileTime mtime) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name(path) + "/", TarConstants.LF_DIR);
        stamp(entry, 040000 | (mode & 07777), uid, gid, mtime);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /** A regular file of {@code size} bytes streamed from {@code content}, which must hold exactly that many. */
    public void file(String path, int mode, long uid, long gid, FileTime mtime, long size, InputStream content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name(path), TarConstants.LF_NORMAL);
        stamp(entry, 0100000 | (mode & 07777), uid, gid, mtime);
        entry.setSize(size);
        tar.putArchiveEntry(entry);
        byte[] buffer = new byte[128 * 1024];
        long written = 0;
        for (int n; written < size && (n = content.read(buffer, 0, (int) Math.min(buffer.length, size - written))) > 0; ) {
            tar.write(buffer, 0, n);
            written += n;
        }
        if (written != size || content.read() >= 0) {
            throw new IOException(path + ": its size changed while it was being copied (expected " + size + " bytes)");
        }
        tar.closeArchiveEntry();
    }

    public void symlink(String path, String target, long uid, long gid, FileTime mtime) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name(path), TarConstants.LF_SYMLINK);
        stamp(entry, 0120777, uid, gid, mtime);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    /** A hard link to an entry written before ({@code target}, a path as given to this writer). */
    public void hardLink(String path, String target, int mode, long uid, long gid, FileTime mtime) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name(path), TarConstants.LF_LINK);
        stamp(entry, 0100000 | (mode & 07777), uid, gid, mtime);
        entry.setLinkName(name(target));
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    public void finish() throws IOException {
        tar.finish();
        tar.flush();
    }

    /** {@code /app/x} and {@code app/x} are both {@code app/x}: layers name entries relative to the root. */
    private static String name(String path) {
        String n = path;
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.isEmpty()) {
            throw new IllegalArgumentException("a layer entry needs a name below the root, not " + path);
        }
        return n;
    }

    private static void stamp(TarArchiveEntry entry, int mode, long uid, long gid, FileTime mtime) {
        entry.setMode(mode);
        entry.setUserId(uid);
        entry.setGroupId(gid);
        entry.setUserName("");
        entry.setGroupName("");
        entry.setLastModifiedTime(FileTime.fromMillis(mtime.toMillis() / 1000 * 1000));
    }
}
