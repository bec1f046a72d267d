package dev.berth.testing;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** A layer tar made by hand, entry by entry, including entries no honest tool would write. */
public final class TestLayer {

    private record Entry(TarArchiveEntry header, byte[] content) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private int uid = -1;
    private int gid = -1;

    public static TestLayer create() {
        return new TestLayer();
    }

    public TestLayer dir(String name, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
        e.setMode(mode);
        return add(e, new byte[0]);
    }

    public TestLayer file(String name, String content, int mode) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    public TestLayer file(String name, byte[] content, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setMode(mode);
        e.setSize(content.length);
        return add(e, content);
    }

    public TestLayer file(String name, Path source, int mode) {
        try {
            return file(name, Files.readAllBytes(source), mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestLayer symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        e.setMode(0777);
        return add(e, new byte[0]);
    }

    public TestLayer hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        return add(e, new byte[0]);
    }

    public TestLayer charDevice(String name, int major, int minor, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        e.setMode(mode);
        return add(e, new byte[0]);
    }

    public TestLayer blockDevice(String name, int major, int minor, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_BLK, true);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        e.setMode(mode);
        return add(e, new byte[0]);
    }

    public TestLayer fifo(String name, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_FIFO, true);
        e.setMode(mode);
        return add(e, new byte[0]);
    }

    /** Entries added from now on are owned by uid:gid (those added before keep theirs). */
    public TestLayer ownedBy(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
        return this;
    }

    /** Adds an entry as given: owner, mtime and anything else already set on it. */
    public TestLayer add(TarArchiveEntry header, byte[] content) {
        if (header.getModTime().getTime() == 0 || header.getModTime().getTime() > System.currentTimeMillis() - 1000) {
            header.setModTime(1_700_000_000_000L);
        }
        if (uid >= 0 && header.getLongUserId() == 0 && header.getLongGroupId() == 0) {
            header.setIds(uid, gid);
        }
        entries.add(new Entry(header, content));
        return this;
    }

    public byte[] tar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeTar(bytes);
        return bytes.toByteArray();
    }

    public byte[] gzip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            writeTar(gz);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public byte[] zstd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(bytes)) {
            writeTar(z);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void writeTar(OutputStream out) {
        try {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Entry entry : entries) {
                tar.putArchiveEntry(entry.header);
                tar.write(entry.content);
                tar.closeArchiveEntry();
            }
            tar.finish();
            tar.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
