package dev.berth.layer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads an image archive, the outer tar of {@code docker save} or an OCI-archive (gzipped or not,
 * told by its first bytes), entry by entry with each name checked: not a layer, so a policy of its
 * own. Nothing is ever extracted, so a symbolic link that stays inside the archive is only another
 * name for its target (skopeo writes {@code <id>/layer.tar -> ../<hex>.tar}). Refused, each
 * with a one-line {@link ImageArchiveException}: an absolute name, {@code ..}, NUL, the same file name
 * twice, a symbolic link out of the archive (to an absolute name, or climbing above its root), hard
 * links, devices and FIFOs, and a tar that ends inside an entry.
 */
public final class ImageArchiveReader {

    /**
     * One file, directory or symbolic link of the archive; {@code name} is relative to its root
     * ({@code ./a//b/} is {@code a/b}), and so is a link's {@code linkTarget} (null for anything else).
     */
    public record ArchiveEntry(String name, String rawName, long size, boolean directory, String linkTarget) {
    }

    private final TarArchiveInputStream tar;
    private final Set<String> seen = new HashSet<>();
    private ArchiveEntry current;

    private ImageArchiveReader(TarArchiveInputStream tar) {
        this.tar = tar;
    }

    /** Over the archive's bytes; the caller closes its stream. */
    public static ImageArchiveReader open(InputStream archive) throws IOException {
        BufferedInputStream in = new BufferedInputStream(archive, 64 * 1024);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return new ImageArchiveReader(new TarArchiveInputStream(first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 64 * 1024) : in));
    }

    /** The next entry, or null at the end; its content is {@link #content} until the next call. */
    public ArchiveEntry next() throws ImageArchiveException {
        TarArchiveEntry entry;
        try {
            entry = tar.getNextEntry();
        } catch (IOException | RuntimeException e) {
            throw new ImageArchiveException((current == null ? "" : "after entry " + current.rawName() + ": ")
                    + "not a readable tar (" + message(e) + "); refused");
        }
        if (entry == null) {
            current = null;
            return null;
        }
        String raw = entry.getName();
        String name = normalize(raw);
        if (!entry.isDirectory() && !seen.add(name)) {
            throw new ImageArchiveException("entry " + raw + ": the archive holds it twice; refused");
        }
        if (entry.isSymbolicLink()) {
            current = new ArchiveEntry(name, raw, 0, false, linkTarget(raw, name, entry.getLinkName()));
            return current;
        }
        String kind = kind(entry);
        if (kind != null) {
            throw new ImageArchiveException("entry " + raw + ": a " + kind + "; an image archive holds only files, directories and "
                    + "symbolic links inside it; refused");
        }
        current = new ArchiveEntry(name, raw, entry.isDirectory() ? 0 : entry.getSize(), entry.isDirectory(), null);
        return current;
    }

    /**
     * The current entry's bytes: exactly its size of them, or an {@link ImageArchiveException} when
     * the tar ends first.
     */
    public InputStream content() {
        ArchiveEntry entry = current;
        return new InputStream() {
            private long read;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (entry == null || entry != current) {
                    return -1;
                }
                int n;
                try {
                    n = tar.read(buffer, offset, length);
                } catch (IOException | RuntimeException e) {
                    throw truncated(entry, e);
                }
                if (n < 0 && read != entry.size()) {
                    throw truncated(entry, null);
                }
                if (n > 0) {
                    read += n;
                }
                return n;
            }
        };
    }

    /** The entry's name relative to the archive's root, or refused. */
    public static String normalize(String raw) throws ImageArchiveException {
        if (raw.isEmpty()) {
            throw new ImageArchiveException("an entry without a name; refused");
        }
        if (raw.indexOf('\0') >= 0) {
            throw new ImageArchiveException("entry " + raw.replace('\0', '?') + ": names cannot contain NUL; refused");
        }
        if (raw.startsWith("/")) {
            throw new ImageArchiveException("entry " + raw + ": absolute names are not allowed in an image archive; refused");
        }
        StringBuilder out = new StringBuilder();
        for (String component : raw.split("/")) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                throw new ImageArchiveException("entry " + raw + ": .. is not allowed in an image archive; refused");
            }
            out.append(out.length() == 0 ? "" : "/").append(component);
        }
        return out.toString();
    }

    /** The link's target relative to the archive's root, or refused when it leaves the archive. */
    private static String linkTarget(String raw, String name, String target) throws ImageArchiveException {
        String out = "entry " + raw + ": a symbolic link to " + target.replace('\0', '?') + ", out of the archive; refused";
        if (target.isEmpty() || target.startsWith("/") || target.indexOf('\0') >= 0) {
            throw new ImageArchiveException(out);
        }
        java.util.ArrayDeque<String> path = new java.util.ArrayDeque<>();
        String[] own = name.split("/");
        for (int i = 0; i < own.length - 1; i++) {
            path.addLast(own[i]);
        }
        for (String component : target.split("/")) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                if (path.isEmpty()) {
                    throw new ImageArchiveException(out);
                }
                path.removeLast();
            } else {
                path.addLast(component);
            }
        }
        if (path.isEmpty()) {
            throw new ImageArchiveException(out);
        }
        return String.join("/", path);
    }

    /** What the entry is when it is neither a regular file, a directory nor a symbolic link, else null. */
    private static String kind(TarArchiveEntry entry) {
        if (entry.isLink()) {
            return "hard link to " + entry.getLinkName();
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice()) {
            return "device node";
        }
        if (entry.isFIFO()) {
            return "FIFO";
        }
        if (entry.isDirectory() || entry.isFile()) {
            return null;
        }
        return "entry of type '" + (char) entry.getLinkFlag() + "'";
    }

    private static ImageArchiveException truncated(ArchiveEntry entry, Exception e) {
        return new ImageArchiveException("entry " + entry.rawName() + ": the archive ends inside it"
                + (e == null ? "" : " or cannot be read (" + message(e) + ")") + "; refused");
    }

    private static String message(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
