package dev.berth.content;

import dev.berth.oci.Digest;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Moves blobs of the runtime's earlier layout, {@code blobs/<alg>/<hex>}, to
 * {@code blobs/<alg>/<2 hex>/<hex>}, each with one atomic rename: at any moment, a crash included,
 * each blob is whole in one of the two places, and the next open moves what is left. A blob that
 * is in both places (two processes migrating at once) keeps the copy already moved. Runs at every
 * open; with nothing to move it costs one listing of each algorithm's directory (at most 256
 * subdirectories).
 */
final class FlatLayoutMigration {

    private FlatLayoutMigration() {
    }

    static void run(ContentPaths paths) throws IOException {
        for (Digest.Algorithm algorithm : Digest.Algorithm.values()) {
            Set<Path> touched = new HashSet<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(paths.algorithm(algorithm),
                    entry -> Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS))) {
                for (Path flat : entries) {
                    Digest digest = digestNamed(algorithm, flat.getFileName().toString());
                    if (digest != null && move(flat, paths.blob(digest))) {
                        touched.add(paths.fanOut(digest));
                    }
                }
            }
            if (!touched.isEmpty()) {
                touched.forEach(Durably::fsyncDirectory);
                Durably.fsyncDirectory(paths.algorithm(algorithm)); // the old names' removal
            }
        }
    }

    /** @return whether the blob is now in its new place */
    private static boolean move(Path flat, Path target) throws IOException {
        Durably.createDirectory(target.getParent());
        if (Files.exists(target)) {
            Files.deleteIfExists(flat);
            return false;
        }
        try {
            Files.move(flat, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchFileException e) {
            return false; // another process moved it first
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot move " + flat + " into place atomically", e);
        }
    }

    /** The digest a file of the old layout is named for, or null for any other file (left alone). */
    private static Digest digestNamed(Digest.Algorithm algorithm, String name) {
        try {
            return Digest.of(algorithm.prefix() + ":" + name);
        } catch (OciException e) {
            return null;
        }
    }
}
