package dev.berth.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Spoils a good image archive in one way each: a name, a link, a flipped byte, a cut. */
final class HostileTars {

    private HostileTars() {
    }

    /** Every entry: name → bytes (null for a directory), in order. */
    static Map<String, byte[]> entries(Path tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), e.isDirectory() ? null : in.readAllBytes());
            }
        }
        return out;
    }

    static Map<String, byte[]> without(Map<String, byte[]> entries, String name) {
        Map<String, byte[]> out = new LinkedHashMap<>(entries);
        out.remove(name);
        return out;
    }

    /** The entries, then one more: a file {@code name}, or a symbolic link to {@code linkTarget} when that is given. */
    static Path with(Path file, Map<String, byte[]> entries, String name, String linkTarget) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            write(tar, entries);
            TarArchiveEntry extra = linkTarget == null ? new TarArchiveEntry(name, true) : new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
            if (linkTarget == null) {
                extra.setSize(1);
                tar.putArchiveEntry(extra);
                tar.write('x');
            } else {
                extra.setLinkName(linkTarget);
                tar.putArchiveEntry(extra);
            }
            tar.closeArchiveEntry();
        }
        return file;
    }

    /** The entries with one byte in the middle of {@code name} flipped. */
    static Path flipped(Path file, Map<String, byte[]> entries, String name) throws IOException {
        Map<String, byte[]> spoiled = new LinkedHashMap<>(entries);
        byte[] bytes = spoiled.get(name).clone();
        bytes[bytes.length / 2] ^= 0x01;
        spoiled.put(name, bytes);
        try (OutputStream out = Files.newOutputStream(file); TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            write(tar, spoiled);
        }
        return file;
    }

    /** The archive cut in the middle of entry {@code name}'s content. */
    static Path truncated(Path file, Path archive, String name) throws IOException {
        long offset = 0;
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(archive))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(name)) {
                    offset = e.getDataOffset() + e.getSize() / 2;
                    break;
                }
            }
        }
        try (InputStream in = Files.newInputStream(archive); OutputStream out = Files.newOutputStream(file)) {
            out.write(in.readNBytes((int) offset));
        }
        return file;
    }

    private static void write(TarArchiveOutputStream tar, Map<String, byte[]> entries) throws IOException {
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
            if (e.getValue() != null) {
                entry.setSize(e.getValue().length);
            }
            tar.putArchiveEntry(entry);
            if (e.getValue() != null) {
                tar.write(e.getValue());
            }
            tar.closeArchiveEntry();
        }
    }
}
