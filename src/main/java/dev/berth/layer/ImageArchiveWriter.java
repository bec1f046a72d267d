package dev.berth.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes an image archive's tar: files and directories only, each with time 0, owner 0:0 and mode
 * 0644 (0755 for a directory), so the same content gives the same bytes; long names and sizes past
 * 8 GiB in PAX headers. {@link #finish} writes the end of the archive; the caller closes its stream.
 */
public final class ImageArchiveWriter {

    private final TarArchiveOutputStream tar;

    public ImageArchiveWriter(OutputStream out) {
        tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    public void directory(String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        entry.setMode(040755);
        stamp(entry);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    public void file(String name, byte[] bytes) throws IOException {
        tar.putArchiveEntry(file(name, bytes.length));
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    /** A file of {@code size} bytes streamed from {@code content}, which must hold exactly that many. */
    public void file(String name, long size, InputStream content) throws IOException {
        tar.putArchiveEntry(file(name, size));
        byte[] buffer = new byte[256 * 1024];
        long written = 0;
        for (int n; written < size && (n = content.read(buffer, 0, (int) Math.min(buffer.length, size - written))) > 0; ) {
            tar.write(buffer, 0, n);
            written += n;
        }
        if (written != size) {
            throw new IOException(name + ": " + written + " bytes to write, not " + size);
        }
        tar.closeArchiveEntry();
    }

    public void finish() throws IOException {
        tar.finish();
        tar.flush();
    }

    private static TarArchiveEntry file(String name, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(0100644);
        stamp(entry);
        return entry;
    }

    private static void stamp(TarArchiveEntry entry) {
        entry.setModTime(0);
        entry.setIds(0, 0);
        entry.setUserName("");
        entry.setGroupName("");
    }
}
