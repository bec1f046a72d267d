package dev.berth.registry.gc;

import dev.berth.content.ContentStore;
import dev.berth.oci.Digest;
import dev.berth.oci.OciException;
import dev.berth.registry.gc.FsckFinding.Kind;
import dev.berth.registry.metadata.FsckRows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The blob files against the {@code blobs} rows, one fan-out directory ({@code blobs/<alg>/<2 hex>/},
 * the layout the content store keeps) at a time: each file with a row is read whole, streaming,
 * and must have the row's size and hash to its name; a row without a file is lost data; a file
 * without a row is an orphan unless a manifest names it. What looks wrong is looked at again
 * before it is reported (a server on the same PostgreSQL database may push or collect meanwhile).
 */
final class FsckBlobFiles {

    private static final String HEX = "0123456789abcdef";
    private static final int BUFFER = 64 * 1024;

    private final FsckRows rows;
    private final ContentStore store;
    private final Path blobs;
    private final Instant recent;
    private final boolean repair;
    private final FsckReport report;

    FsckBlobFiles(FsckRows rows, ContentStore store, Path blobs, Instant recent, boolean repair, FsckReport report) {
        this.rows = rows;
        this.store = store;
        this.blobs = blobs;
        this.recent = recent;
        this.repair = repair;
        this.report = report;
    }

    void check() throws IOException {
        try (DirectoryStream<Path> top = Files.newDirectoryStream(blobs)) {
            for (Path entry : top) {
                if (!isAlgorithmDirectory(entry)) {
                    stray(entry);
                }
            }
        }
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            Path directory = blobs.resolve(algorithm.prefix());
            if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> fanOuts = Files.newDirectoryStream(directory)) {
                    for (Path entry : fanOuts) {
                        if (!isFanOut(entry)) {
                            stray(entry);
                        }
                    }
                }
            }
            for (int i = 0; i < 256; i++) {
                String fanOut = "" + HEX.charAt(i >> 4) + HEX.charAt(i & 15);
                checkFanOut(algorithm, fanOut, directory.resolve(fanOut));
            }
        }
    }

    private void checkFanOut(Digest.Algorithm algorithm, String fanOut, Path directory) throws IOException {
        String prefix = algorithm.prefix() + ":" + fanOut;
        Map<String, Long> expected = rows.blobsStartingWith(prefix);
        Set<String> referenced = null;
        if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    String digest = algorithm.prefix() + ":" + name;
                    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || !name.startsWith(fanOut) || !isDigest(digest)) {
                        stray(file);
                        continue;
                    }
                    Long size = expected.remove(digest);
                    if (size != null) {
                        verify(algorithm, digest, file, size);
                        continue;
                    }
                    if (referenced == null) {
                        referenced = rows.referencedStartingWith(prefix);
                    }
                    withoutRow(digest, file, referenced.contains(digest));
                }
            }
        }
        for (Map.Entry<String, Long> row : expected.entrySet()) {
            String digest = row.getKey();
            Path file = directory.resolve(digest.substring(digest.indexOf(':') + 1));
            if (!Files.isRegularFile(file) && rows.blobRowExists(digest)) {
                lost(digest, row.getValue(), file);
            }
        }
    }

    /** The file of a row: its size, then its bytes, read once. */
    private void verify(Digest.Algorithm algorithm, String digest, Path file, long rowSize) throws IOException {
        try {
            long size = Files.size(file);
            if (size != rowSize) {
                report.blobFileSeen();
                report.found(FsckFinding.of(Kind.CORRUPT, "blob " + digest,
                        "its file " + relative(file) + " has " + size + " bytes, its row says " + rowSize));
                return;
            }
            MessageDigest hash = algorithm.newMessageDigest();
            long read = 0;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[BUFFER];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    hash.update(buffer, 0, n);
                    read += n;
                }
            }
            report.blobFileRead(read);
            Digest actual = Digest.fromHash(algorithm, hash.digest());
            if (!actual.toString().equals(digest)) {
                report.found(FsckFinding.of(Kind.CORRUPT, "blob " + digest, "the bytes of its file " + relative(file) + " hash to " + actual));
            }
        } catch (NoSuchFileException e) {
            if (rows.blobRowExists(digest)) {
                lost(digest, rowSize, file); // gone while being read; collected meanwhile if its row went too
            }
        }
    }

    private void withoutRow(String digest, Path file, boolean referenced) throws IOException {
        report.blobFileSeen();
        if (rows.blobRowExists(digest)) {
            return; // pushed meanwhile
        }
        if (referenced) {
            report.found(FsckFinding.of(Kind.UNRECORDED, "blob " + digest, "its file " + relative(file) + " is there, its row is not, and "
                    + rows.manifestsReferencing(digest) + " manifest(s) name it: the bytes are kept"));
            return;
        }
        removable(Kind.ORPHAN, file, Digest.of(digest), "blob " + digest, "its file " + relative(file) + " has no row and no manifest names it");
    }

    private void lost(String digest, long size, Path file) {
        report.found(FsckFinding.of(Kind.LOST_DATA, "blob " + digest, "its row (" + size + " bytes) is there, its file "
                + relative(file) + " is not; " + rows.manifestsReferencing(digest) + " manifest(s) name it"));
    }

    /** Anything under blobs/ that is not in a blob's place: a regular file may go, anything else is left alone. */
    private void stray(Path entry) throws IOException {
        if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
            removable(Kind.STRAY, entry, null, "file " + relative(entry), "under blobs/ but not named for a blob of its directory");
            return;
        }
        String what = Files.isSymbolicLink(entry) ? "a symbolic link" : Files.isDirectory(entry) ? "a directory" : "a special file";
        report.found(FsckFinding.of(Kind.STRAY, "entry " + relative(entry), what + " under blobs/ where only blob files belong: left alone"));
    }

    /**
     * Reported; with --repair removed (an orphan {@code blob} through the store), unless written so
     * recently that a push may be completing with it.
     */
    private void removable(Kind kind, Path file, Digest blob, String subject, String detail) throws IOException {
        FsckFinding finding = FsckFinding.of(kind, subject, detail);
        if (repair) {
            if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isAfter(recent)) {
                finding = FsckFinding.of(kind, subject, detail + "; written in the last "
                        + Fsck.RECENT.toMinutes() + " minutes, so kept: a push may be completing with it");
            } else if (blob != null && rows.blobRowExists(blob.toString())) {
                return; // pushed meanwhile
            } else {
                if (blob != null) {
                    store.delete(blob);
                } else {
                    Files.deleteIfExists(file);
                }
                finding = finding.repaired("removed");
            }
        }
        report.found(finding);
    }

    private boolean isAlgorithmDirectory(Path entry) {
        String name = entry.getFileName().toString();
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            if (algorithm.prefix().equals(name)) {
                return Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
            }
        }
        return false;
    }

    private static boolean isFanOut(Path entry) {
        String name = entry.getFileName().toString();
        return name.length() == 2 && HEX.indexOf(name.charAt(0)) >= 0 && HEX.indexOf(name.charAt(1)) >= 0
                && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
    }

    private static boolean isDigest(String text) {
        try {
            return Digest.of(text).toString().equals(text);
        } catch (OciException e) {
            return false;
        }
    }

    private String relative(Path path) {
        return blobs.getParent().relativize(path).toString();
    }
}
