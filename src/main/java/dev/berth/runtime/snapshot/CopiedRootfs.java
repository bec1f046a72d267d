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
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
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
 * hard links of a layer stay hard links. The container writes into the copy itself.
 */
public final class CopiedRootfs {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000;
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
                if (attrs.isOther()) {
                    copySpecial(file, target, attrs);
                } else {
                    // Regular files and symlinks, with owner, mode and times.
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Path target = target(layer, dir, rootfs);
                BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, NOFOLLOW);
                Files.setAttribute(target, "unix:uid", Files.getAttribute(dir, "unix:uid", NOFOLLOW), NOFOLLOW);
                Files.setAttribute(target, "unix:gid", Files.getAttribute(dir, "unix:gid", NOFOLLOW), NOFOLLOW);
                Files.setAttribute(target, "unix:mode", (int) Files.getAttribute(dir, "unix:mode", NOFOLLOW) & 07777);
                Files.getFileAttributeView(target, BasicFileAttributeView.class, NOFOLLOW)
                        .setTimes(a.lastModifiedTime(), a.lastAccessTime(), null);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Device nodes and FIFOs (the JDK's copy loses a device's number). */
    private static void copySpecial(Path file, Path target, BasicFileAttributes attrs) throws IOException {
        int mode = (int) Files.getAttribute(file, "unix:mode", NOFOLLOW);
        long rdev = ((Number) Files.getAttribute(file, "unix:rdev", NOFOLLOW)).longValue();
        long major = ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xffL) | ((rdev >>> 12) & ~0xffL);
        Posix.mknod(target, mode & S_IFMT, mode & 07777, (int) major, (int) minor);
        Files.setAttribute(target, "unix:uid", Files.getAttribute(file, "unix:uid", NOFOLLOW), NOFOLLOW);
        Files.setAttribute(target, "unix:gid", Files.getAttribute(file, "unix:gid", NOFOLLOW), NOFOLLOW);
        Files.setAttribute(target, "unix:mode", mode & 07777);
        Files.getFileAttributeView(target, BasicFileAttributeView.class, NOFOLLOW)
                .setTimes(attrs.lastModifiedTime(), attrs.lastAccessTime(), null);
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
        return (mode & S_IFMT) == Posix.S_IFCHR && ((Number) Files.getAttribute(file, "unix:rdev", NOFOLLOW)).longValue() == 0;
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
