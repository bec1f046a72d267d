package dev.berth.runtime.unpack;

import dev.berth.oci.Digest;
import dev.berth.runtime.sys.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks one layer (tar, gzip or zstd, sniffed) into an empty directory, in the form overlayfs
 * reads as a lower layer: a whiteout {@code .wh.NAME} becomes a character device 0/0 named NAME,
 * an opaque marker {@code .wh..wh..opq} the xattr {@code trusted.overlay.opaque=y} on its directory.
 * Files, directories, symlinks, hard links, device nodes and FIFOs keep their mode, owner (as root)
 * and mtime; extended attributes (file capabilities) are not applied yet. Confinement: names are relative without {@code ..} ({@link EntryPath}),
 * no entry is written through a symlink, and hard links point only at files of the same layer.
 * Returns the digest of the uncompressed tar (the layer's diff id) and the unpacked size.
 */
public final class LayerUnpacker {

    private static final String OPAQUE = ".wh..wh..opq";
    private static final String WHITEOUT = ".wh.";
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private record DirMetadata(Path path, TarArchiveEntry entry) {
    }

    private final boolean chown;

    /** @param chown whether to give entries their owners (needs root) */
    public LayerUnpacker(boolean chown) {
        this.chown = chown;
    }

    public UnpackedLayer unpack(InputStream layer, Path root) throws IOException {
        MessageDigest sha256 = Digest.Algorithm.SHA256.newMessageDigest();
        InputStream tarBytes = new TeeInputStream(Decompression.open(layer), new DigestOutputStream(OutputStream.nullOutputStream(), sha256));
        TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes);
        List<DirMetadata> dirs = new ArrayList<>();
        long size = 0;
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
            if (apply(entry, tar, root, dirs)) {
                size += entry.isSymbolicLink() ? entry.getLinkName().getBytes(StandardCharsets.UTF_8).length : entry.getSize();
            }
        }
        tarBytes.transferTo(OutputStream.nullOutputStream());
        for (int i = dirs.size() - 1; i >= 0; i--) {
            metadata(dirs.get(i).path, dirs.get(i).entry);
        }
        return new UnpackedLayer(Digest.fromHash(Digest.Algorithm.SHA256, sha256.digest()), size);
    }

    /** @return whether the entry is a file or symlink of its own, which counts in the layer's size */
    private boolean apply(TarArchiveEntry entry, InputStream content, Path root, List<DirMetadata> dirs) throws IOException {
        EntryPath name = EntryPath.parse(entry.getName());
        if (name.isRoot()) {
            return false;
        }
        Path parent = parentOf(root, name);
        String base = name.fileName();
        if (base.equals(OPAQUE)) {
            Posix.lsetxattr(parent, "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
            return false;
        }
        if (base.startsWith(WHITEOUT + WHITEOUT)) {
            return false; // aufs bookkeeping (.wh..wh.plnk and the like), not content
        }
        if (base.startsWith(WHITEOUT)) {
            String hidden = base.substring(WHITEOUT.length());
            if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
                throw new UnsafeLayerException(name.toString(), "not a valid whiteout");
            }
            Path target = parent.resolve(hidden);
            removeExisting(target);
            Posix.mknod(target, Posix.S_IFCHR, 0, 0, 0);
            return false;
        }
        Path path = parent.resolve(base);
        BasicFileAttributes existing = attributes(path);
        if (existing != null && !(entry.isDirectory() && existing.isDirectory())) {
            removeExisting(path);
        }
        if (entry.isDirectory()) {
            if (existing == null || !existing.isDirectory()) {
                Files.createDirectory(path);
            }
            dirs.add(new DirMetadata(path, entry));
            return false;
        }
        if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
            Files.createLink(path, hardLinkTarget(root, name, entry.getLinkName()));
            return false; // a hard link shares the inode, and so the metadata, of its target
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            int type = entry.isCharacterDevice() ? Posix.S_IFCHR : entry.isBlockDevice() ? Posix.S_IFBLK : Posix.S_IFIFO;
            Posix.mknod(path, type, entry.getMode(), entry.getDevMajor(), entry.getDevMinor());
        } else if (entry.isFile()) {
            Files.copy(content, path);
        } else {
            return false; // sparse files, GNU volume headers and the like: not found in image layers
        }
        metadata(path, entry);
        return entry.isSymbolicLink() || entry.isFile();
    }

    /** The entry's parent directory, created as needed, refusing to go through anything but a real directory. */
    private static Path parentOf(Path root, EntryPath name) throws IOException {
        Path dir = root;
        for (String component : name.parents()) {
            dir = dir.resolve(component);
            BasicFileAttributes a = attributes(dir);
            if (a == null) {
                Files.createDirectory(dir);
            } else if (a.isSymbolicLink()) {
                throw new UnsafeLayerException(name.toString(), "writes through the symlink " + root.relativize(dir));
            } else if (!a.isDirectory()) {
                throw new UnsafeLayerException(name.toString(), root.relativize(dir) + " is not a directory");
            }
        }
        return dir;
    }

    private static Path hardLinkTarget(Path root, EntryPath name, String linkName) throws IOException {
        EntryPath target = EntryPath.parse(linkName);
        if (target.isRoot()) {
            throw new UnsafeLayerException(name.toString(), "a hard link to the root");
        }
        Path dir = root;
        for (String component : target.parents()) {
            dir = dir.resolve(component);
            BasicFileAttributes a = attributes(dir);
            if (a == null || !a.isDirectory() || a.isSymbolicLink()) {
                throw new UnsafeLayerException(name.toString(), "hard link target " + target + " is not in this layer");
            }
        }
        Path path = dir.resolve(target.fileName());
        BasicFileAttributes a = attributes(path);
        if (a == null || a.isDirectory()) {
            throw new UnsafeLayerException(name.toString(), "hard link target " + target + " is not a file of this layer");
        }
        return path;
    }

    private void metadata(Path path, TarArchiveEntry entry) throws IOException {
        boolean symlink = entry.isSymbolicLink();
        if (chown) {
            Files.setAttribute(path, "unix:uid", (int) entry.getLongUserId(), NOFOLLOW);
            Files.setAttribute(path, "unix:gid", (int) entry.getLongGroupId(), NOFOLLOW);
        }
        if (!symlink) {
            Files.setAttribute(path, "unix:mode", entry.getMode() & 07777);
        }
        FileTime mtime = entry.getLastModifiedTime();
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW).setTimes(mtime, mtime, null);
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void removeExisting(Path path) throws IOException {
        BasicFileAttributes a = attributes(path);
        if (a == null) {
            return;
        }
        if (a.isDirectory()) {
            try (Stream<Path> tree = Files.walk(path)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        } else {
            Files.delete(path);
        }
    }
}
