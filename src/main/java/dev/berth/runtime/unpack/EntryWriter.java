package dev.berth.runtime.unpack;

import dev.berth.layer.Entry;
import dev.berth.layer.EntryPath;
import dev.berth.layer.Xattr;
import dev.berth.runtime.sys.Posix;
import dev.berth.runtime.sys.SystemCallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes one layer's entries, as {@link dev.berth.layer.LayerReader} gives them, under its root in
 * overlay form, and gives them their owner, mode, file capability and {@code user.*} attributes ({@link #applies}) and mtime. Names are walked one component at a time: a symlink or non-directory on the way is
 * refused. Metadata is set by name relative to the parent's descriptor, never through a link
 * ({@link Posix.Directory}) and without opening the file, so FIFOs and devices are never opened.
 * A directory's metadata waits for the end of the layer (its children would change its mtime); the
 * directory's device and inode are kept with it, and at the end it is applied only where the same
 * directory is still at that name: one that a later entry replaced or removed (with everything under
 * it) is dropped, and the layer unpacks with the later entry in its place.
 */
final class EntryWriter implements AutoCloseable {

    /** A directory's metadata, and the directory it was made for. */
    private record Deferred(EntryPath name, Posix.Stat made, Entry entry) {
    }

    static final String CAPABILITY = "security.capability";

    private final Path root;
    private final boolean chown;
    private final Posix.Directory rootDir;
    /** By name, so that replacing a name drops what waited under it. */
    private final TreeMap<String, Deferred> dirs = new TreeMap<>();
    /** The last parent directory walked to (entries come grouped by directory); forgotten whenever anything is removed. */
    private List<String> cachedName;
    private Posix.Directory cachedDir;

    EntryWriter(Path root, boolean chown) throws IOException {
        this.root = root;
        this.chown = chown;
        this.rootDir = Posix.Directory.open(root);
    }

    /** @return what the entry counts in the layer's size: a file's or symlink's own bytes */
    long write(Entry entry, InputStream content) throws IOException {
        EntryPath name = entry.path();
        if (entry.kind() == Entry.Kind.OPAQUE) {
            Posix.lsetxattr(directory(name.components(), name).path(), "trusted.overlay.opaque",
                    "y".getBytes(StandardCharsets.US_ASCII));
            return 0;
        }
        Posix.Directory parent = directory(name.parents(), name);
        Path parentPath = parent.path();
        String base = name.fileName();
        if (entry.kind() == Entry.Kind.WHITEOUT) {
            remove(parent, parentPath.resolve(base), name.parents(), base);
            Posix.mknod(parentPath.resolve(base), Posix.S_IFCHR, 0, 0, 0);
            return 0;
        }
        Path path = parentPath.resolve(base);
        boolean directory = entry.kind() == Entry.Kind.DIRECTORY;
        Posix.Stat existing = parent.stat(base);
        if (existing != null && !(directory && existing.isDirectory())) {
            remove(parent, path, name.parents(), base);
            parent = directory(name.parents(), name);
            existing = null;
        }
        switch (entry.kind()) {
            case DIRECTORY -> {
                if (existing == null) {
                    call("mkdir", () -> Files.createDirectory(path));
                }
                dirs.put(name.toString(), new Deferred(name, parent.stat(base), entry));
                return 0;
            }
            case SYMLINK -> call("symlink", () -> Files.createSymbolicLink(path, Path.of(entry.linkName())));
            case HARDLINK -> {
                Path target = hardLinkTarget(entry.hardLinkTarget());
                call("link", () -> Files.createLink(path, target));
                return 0; // a hard link shares the inode, and so the metadata, of its target
            }
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> {
                int type = entry.kind() == Entry.Kind.CHAR_DEVICE ? Posix.S_IFCHR
                        : entry.kind() == Entry.Kind.BLOCK_DEVICE ? Posix.S_IFBLK : Posix.S_IFIFO;
                Posix.mknod(path, type, entry.mode(), entry.devMajor(), entry.devMinor());
            }
            default -> copy(content, path);
        }
        metadata(parent, base, entry);
        return entry.kind() == Entry.Kind.SYMLINK ? entry.linkName().getBytes(StandardCharsets.UTF_8).length : entry.size();
    }

    /**
     * The directories' metadata, deepest first, on each directory still where its entry made it.
     *
     * @param current told each entry's own tar entry before it is applied
     */
    void finish(Consumer<Entry> current) throws IOException {
        List<Deferred> deepestFirst = new ArrayList<>(dirs.values());
        deepestFirst.sort(Comparator.comparingInt((Deferred d) -> d.name.components().size()).reversed());
        for (Deferred d : deepestFirst) {
            current.accept(d.entry);
            Posix.Directory parent = walk(d.name.parents());
            Posix.Stat now = parent == null ? null : parent.stat(d.name.fileName());
            if (now != null && now.isDirectory() && d.made.sameFile(now)) {
                metadata(parent, d.name.fileName(), d.entry);
            }
        }
        dirs.clear();
    }

    /**
     * Owner first (a chown clears setuid bits and file capabilities), then mode (none for a
     * symlink), then extended attributes, then times; nothing followed, nothing opened.
     */
    private void metadata(Posix.Directory parent, String base, Entry entry) throws IOException {
        if (chown) {
            parent.chown(base, (int) entry.uid(), (int) entry.gid());
        }
        if (entry.kind() != Entry.Kind.SYMLINK) {
            parent.chmod(base, entry.mode());
        }
        for (Xattr x : entry.xattrs()) {
            if (applies(x.name(), entry.kind())) {
                setxattr(parent, base, x);
            }
        }
        FileTime mtime = entry.mtime();
        parent.setTimes(base, mtime, mtime);
    }

    /**
     * Which of an entry's extended attributes are written: a file capability
     * ({@code security.capability}) on a regular file, as root only (it takes CAP_SETFCAP), and
     * {@code user.*} on files and directories. Never {@code trusted.*}: a layer must not set
     * overlayfs's own {@code trusted.overlay.*} (opaque, redirect, metacopy), which would change what
     * the layers below show; nor {@code security.selinux} or any other, which are the host's policy.
     * Nothing is set on a symlink, device node or FIFO.
     */
    private boolean applies(String name, Entry.Kind kind) {
        if (name.equals(CAPABILITY)) {
            return chown && kind == Entry.Kind.FILE;
        }
        return name.startsWith("user.") && (kind == Entry.Kind.FILE || kind == Entry.Kind.DIRECTORY);
    }

    /** A filesystem without user attributes (ENOTSUP) loses them, as with tar; a capability that cannot be set fails. */
    private static void setxattr(Posix.Directory parent, String base, Xattr x) throws IOException {
        try {
            parent.setxattr(base, x.name(), x.value());
        } catch (SystemCallException e) {
            if (e.errno() != Posix.ENOTSUP || x.name().equals(CAPABILITY)) {
                throw e;
            }
        }
    }

    /**
     * The directory at {@code parents} (an entry's parent, or an opaque marker's own directory),
     * created as needed, refusing to go through anything but a real directory.
     */
    private Posix.Directory directory(List<String> parents, EntryPath name) throws IOException {
        if (parents.equals(cachedName)) {
            return cachedDir;
        }
        forgetCached();
        Posix.Directory dir = rootDir;
        for (int i = 0; i < parents.size(); i++) {
            String component = parents.get(i);
            Posix.Stat a = dir.stat(component);
            if (a == null) {
                Path created = dir.path().resolve(component);
                call("mkdir", () -> Files.createDirectory(created));
            } else if (a.isSymlink()) {
                close(dir);
                throw new UnsafeLayerException(name.toString(), "writes through the symlink " + prefix(parents, i));
            } else if (!a.isDirectory()) {
                close(dir);
                throw new UnsafeLayerException(name.toString(), prefix(parents, i) + " is not a directory");
            }
            Posix.Directory child = dir.child(component);
            close(dir);
            if (child == null) {
                throw new IOException("open " + dir.path().resolve(component) + ": not a directory any more");
            }
            dir = child;
        }
        cachedName = List.copyOf(parents);
        cachedDir = dir;
        return dir;
    }

    private static String prefix(List<String> components, int last) {
        return String.join("/", components.subList(0, last + 1));
    }

    /** The directory at these components, or null when one of them is not a directory (any more). */
    private Posix.Directory walk(List<String> components) throws IOException {
        if (components.equals(cachedName)) {
            return cachedDir;
        }
        forgetCached();
        Posix.Directory dir = rootDir;
        for (String component : components) {
            Posix.Directory child = dir.child(component);
            close(dir);
            if (child == null) {
                return null;
            }
            dir = child;
        }
        cachedName = List.copyOf(components);
        cachedDir = dir;
        return dir;
    }

    /** A file this layer made, by the path the reader checked (relative, no {@code ..}, not the root). */
    private Path hardLinkTarget(EntryPath target) throws IOException {
        Posix.Directory dir = walk(target.parents());
        Posix.Stat a = dir == null ? null : dir.stat(target.fileName());
        if (dir == null) {
            throw new UnsafeLayerException(target.toString(), "hard link target " + target + " is not in this layer");
        }
        if (a == null || a.isDirectory()) {
            throw new UnsafeLayerException(target.toString(), "hard link target " + target + " is not a file of this layer");
        }
        return dir.path().resolve(target.fileName());
    }

    /** Writes a file's content; a failure to read is the layer's, a failure to write says so. */
    private static void copy(InputStream content, Path path) throws IOException {
        try (OutputStream out = call("create", () -> Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE))) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = content.read(buffer)) > 0; ) {
                int length = n;
                call("write", () -> {
                    out.write(buffer, 0, length);
                    return null;
                });
            }
        }
    }

    /** Removes what is at a name (a whole tree for a directory), with every directory's metadata that waited under it. */
    private void remove(Posix.Directory parent, Path path, List<String> parents, String base) throws IOException {
        Posix.Stat a = parent.stat(base);
        if (a == null) {
            return;
        }
        String name = parents.isEmpty() ? base : String.join("/", parents) + "/" + base;
        dirs.remove(name);
        dirs.subMap(name + "/", name + "0").clear(); // '0' follows '/': every name under this one
        forgetCached();
        if (a.isDirectory()) {
            try (Stream<Path> tree = Files.walk(path)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    call("remove", () -> {
                        Files.delete(p);
                        return null;
                    });
                }
            }
        } else {
            call("remove", () -> {
                Files.delete(path);
                return null;
            });
        }
    }

    private interface FileCall<T> {
        T run() throws IOException;
    }

    /** Runs a file operation of the JDK, whose errors for ENOENT, EACCES or EEXIST carry nothing but a path, and names it. */
    private static <T> T call(String name, FileCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (FileSystemException e) {
            throw new IOException(name + ": " + reason(e), e);
        } catch (IOException e) {
            throw new IOException(name + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private static String reason(FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "File exists";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        return e.getClass().getSimpleName();
    }

    private void forgetCached() throws IOException {
        Posix.Directory dir = cachedDir;
        cachedDir = null;
        cachedName = null;
        close(dir);
    }

    private void close(Posix.Directory dir) throws IOException {
        if (dir != null && dir != rootDir && dir != cachedDir) {
            dir.close();
        }
    }

    @Override
    public void close() throws IOException {
        forgetCached();
        rootDir.close();
    }
}
