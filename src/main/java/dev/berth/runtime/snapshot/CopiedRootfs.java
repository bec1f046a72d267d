package dev.berth.runtime.snapshot;

import dev.berth.runtime.sys.Posix;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A container's root filesystem where overlayfs is not available (docker's {@code vfs} driver): the
 * image's snapshots copied into {@code DIR/rootfs}, bottom layer first, with the overlay form's
 * whiteouts applied as overlayfs would: a 0/0 character device deletes what the layers below had
 * at its name, and a directory marked {@code trusted.overlay.opaque=y} hides everything the layers
 * below had in it. Files keep their owner, mode and mtime, device nodes stay device nodes, and the
 * hard links of a layer stay hard links; a regular file keeps its extended attributes, file
 * capabilities ({@code security.capability}) included (the JDK's copy sets them after its chown,
 * which would clear a capability; CopiedRootfsTest checks that). Owner, mode and times are set by name under the target
 * directory's descriptor, never through a link, and a FIFO or device node is never opened
 * ({@link Posix.Directory}). The container writes into the copy itself.
 */
public final class CopiedRootfs {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final byte[] OPAQUE = {'y'};

    private CopiedRootfs() {
    }

    /**
     * @param layers       snapshot directories, bottom layer first
     * @param containerDir the container's directory; the copy goes to its {@code rootfs}
     */
    public static Path copy(List<Path> layers, Path containerDir) throws IOException {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an image without layers has no root filesystem");
        }
        Path rootfs = Files.createDirectories(containerDir.resolve("rootfs"));
        for (Path layer : layers) {
            apply(layer, rootfs);
        }
        return rootfs;
    }

    private static void apply(Path layer, Path rootfs) throws IOException {
        Map<Object, Path> copied = new HashMap<>();
        // The target directories being filled, innermost last: owner, mode and times are set by name under them.
        Deque<Posix.Directory> open = new ArrayDeque<>();
        try {
            Files.walkFileTree(layer, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Path target = target(layer, dir, rootfs);
                    BasicFileAttributes existing = lstat(target);
                    if (existing != null && !existing.isDirectory()) {
                        delete(target);
                        existing = null;
                    }
                    if (existing == null) {
                        Files.createDirectory(target);
                    } else if (Arrays.equals(Posix.lgetxattr(dir, "trusted.overlay.opaque"), OPAQUE)) {
                        try (Stream<Path> children = Files.list(target)) {
                            for (Path child : children.toList()) {
                                delete(child);
                            }
                        }
                    }
                    Posix.Directory opened = open.isEmpty() ? Posix.Directory.open(target)
                            : open.peekLast().child(target.getFileName().toString());
                    if (opened == null) {
                        throw new IOException("open " + target + ": not a directory any more");
                    }
                    open.addLast(opened);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path target = target(layer, file, rootfs);
                    delete(target);
                    if (isWhiteout(file, attrs)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isRegularFile() && (int) Files.getAttribute(file, "unix:nlink", NOFOLLOW) > 1) {
                        Path first = copied.putIfAbsent(attrs.fileKey(), target);
                        if (first != null) {
                            Files.createLink(target, first);
                            return FileVisitResult.CONTINUE;
                        }
                    }
                    if (attrs.isRegularFile()) {
                        // Copied through its own descriptors, owner, mode, extended attributes and times included.
                        Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isSymbolicLink()) {
                        Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                    } else {
                        // Device nodes and FIFOs (the JDK's copy loses a device's number, and would open a FIFO).
                        int mode = (int) Files.getAttribute(file, "unix:mode", NOFOLLOW);
                        long rdev = ((Number) Files.getAttribute(file, "unix:rdev", NOFOLLOW)).longValue();
                        long major = ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & ~0xfffL);
                        long minor = (rdev & 0xffL) | ((rdev >>> 12) & ~0xffL);
                        Posix.mknod(target, mode & Posix.S_IFMT, mode & 07777, (int) major, (int) minor);
                    }
                    metadata(file, attrs, open.peekLast(), target.getFileName().toString());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    open.removeLast().close();
                    Path target = target(layer, dir, rootfs);
                    BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, NOFOLLOW);
                    if (open.isEmpty()) {
                        try (Posix.Directory parent = Posix.Directory.open(target.getParent())) {
                            metadata(dir, a, parent, target.getFileName().toString());
                        }
                    } else {
                        metadata(dir, a, open.peekLast(), target.getFileName().toString());
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } finally {
            while (!open.isEmpty()) {
                open.removeLast().close();
            }
        }
    }

    /** The source's owner, mode (not a symlink's) and times onto the name in {@code parent}, never through a link. */
    private static void metadata(Path source, BasicFileAttributes attrs, Posix.Directory parent, String name) throws IOException {
        parent.chown(name, (int) Files.getAttribute(source, "unix:uid", NOFOLLOW),
                (int) Files.getAttribute(source, "unix:gid", NOFOLLOW));
        if (!attrs.isSymbolicLink()) {
            parent.chmod(name, (int) Files.getAttribute(source, "unix:mode", NOFOLLOW) & 07777);
        }
        parent.setTimes(name, attrs.lastAccessTime(), attrs.lastModifiedTime());
    }

    private static Path target(Path layer, Path source, Path rootfs) {
        return rootfs.resolve(layer.relativize(source).toString());
    }

    /** The overlay form of a deletion: a character device with device number 0/0. */
    static boolean isWhiteout(Path file, BasicFileAttributes attrs) throws IOException {
        if (!attrs.isOther()) {
            return false;
        }
        int mode = (int) Files.getAttribute(file, "unix:mode", NOFOLLOW);
        return (mode & Posix.S_IFMT) == Posix.S_IFCHR && ((Number) Files.getAttribute(file, "unix:rdev", NOFOLLOW)).longValue() == 0;
    }

    private static BasicFileAttributes lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void delete(Path path) throws IOException {
        BasicFileAttributes a = lstat(path);
        if (a == null) {
            return;
        }
        if (a.isDirectory()) {
            SnapshotStore.deleteTree(path);
        } else {
            Files.delete(path);
        }
    }
}
