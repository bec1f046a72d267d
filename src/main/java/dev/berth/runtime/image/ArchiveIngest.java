package dev.berth.runtime.image;

import dev.berth.content.ContentStore;
import dev.berth.content.ContentWriter;
import dev.berth.content.StagedBlob;
import dev.berth.content.StagingName;
import dev.berth.layer.ImageArchiveException;
import dev.berth.layer.ImageArchiveReader;
import dev.berth.oci.Digest;
import dev.berth.oci.OciException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one pass of {@code berth load} over an image archive ({@link ImageArchiveReader}: names
 * checked, links out of the archive refused), in whatever order its entries come: the small files that say what the
 * archive holds ({@code manifest.json}, {@code index.json}, {@code repositories}, {@code oci-layout})
 * are kept in memory, up to 4 MiB each; every other file goes into the content store as it streams.
 * A file named {@code blobs/<alg>/<hex>} must hash to that digest, or it is refused before it is
 * kept; any other file (docker's older {@code <id>/layer.tar}, skopeo's {@code <hex>.tar}) is kept
 * under the digest it hashes to, and what manifest.json names it for decides what it is.
 */
final class ArchiveIngest {

    static final int MAX_METADATA = 4 * 1024 * 1024;
    static final int MAX_LINK_HOPS = 8;
    private static final Set<String> METADATA = Set.of("manifest.json", "index.json", "repositories", "oci-layout");

    /** A file of the archive, now in the content store. */
    record StoredFile(Digest digest, long size) {
    }

    /** What the archive held: its small files, its other files by name, and its symbolic links (name → target). */
    record Contents(Map<String, byte[]> metadata, Map<String, StoredFile> files, Map<String, String> links) {

        /** The file of that name, through symbolic links inside the archive (a few deep); null when there is none. */
        StoredFile file(String name) {
            String current = name;
            for (int hops = 0; hops <= MAX_LINK_HOPS; hops++) {
                StoredFile file = files.get(current);
                if (file != null) {
                    return file;
                }
                current = links.get(current);
                if (current == null) {
                    return null;
                }
            }
            return null;
        }
    }

    private final ContentStore content;

    ArchiveIngest(ContentStore content) {
        this.content = content;
    }

    /** Reads the whole archive; {@code added} collects the blobs new to the store, also when it fails. */
    Contents read(InputStream archive, Set<Digest> added) throws IOException {
        Map<String, byte[]> metadata = new HashMap<>();
        Map<String, StoredFile> files = new HashMap<>();
        Map<String, String> links = new HashMap<>();
        ImageArchiveReader reader = ImageArchiveReader.open(archive);
        for (ImageArchiveReader.ArchiveEntry entry; (entry = reader.next()) != null; ) {
            if (entry.directory()) {
                continue;
            }
            if (entry.linkTarget() != null) {
                if (METADATA.contains(entry.name())) {
                    throw new ImageArchiveException("entry " + entry.rawName() + ": a symbolic link; it must be a file; refused");
                }
                links.put(entry.name(), entry.linkTarget());
                continue;
            }
            if (METADATA.contains(entry.name())) {
                if (entry.size() > MAX_METADATA) {
                    throw new ImageArchiveException("entry " + entry.rawName() + ": larger than " + MAX_METADATA + " bytes; refused");
                }
                metadata.put(entry.name(), reader.content().readNBytes((int) entry.size()));
                continue;
            }
            files.put(entry.name(), store(reader, entry, added));
        }
        return new Contents(metadata, files, links);
    }

    private StoredFile store(ImageArchiveReader reader, ImageArchiveReader.ArchiveEntry entry, Set<Digest> added) throws IOException {
        Digest named = namedDigest(entry);
        InputStream in = reader.content();
        byte[] buffer = new byte[256 * 1024];
        if (named != null) {
            boolean had = content.contains(named);
            try (ContentWriter writer = content.writer(named, entry.size())) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    writer.write(buffer, 0, n);
                }
                try {
                    writer.commit();
                } catch (OciException e) {
                    throw new ImageArchiveException("entry " + entry.rawName() + ": " + e.getMessage() + "; refused");
                }
            } catch (OciException e) {
                throw new ImageArchiveException("entry " + entry.rawName() + ": " + e.getMessage() + "; refused");
            }
            if (!had) {
                added.add(named);
            }
            return new StoredFile(named, entry.size());
        }
        MessageDigest hash = Digest.Algorithm.SHA256.newMessageDigest();
        StagedBlob staged = content.stage(StagingName.random());
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                hash.update(buffer, 0, n);
                staged.write(buffer, 0, n);
            }
            Digest digest = Digest.fromHash(Digest.Algorithm.SHA256, hash.digest());
            boolean had = content.contains(digest);
            staged.commit(digest, entry.size());
            if (!had) {
                added.add(digest);
            }
            return new StoredFile(digest, entry.size());
        } finally {
            staged.discard();
        }
    }

    /** The digest a {@code blobs/<alg>/<hex>} name promises, or null for any other name. */
    private static Digest namedDigest(ImageArchiveReader.ArchiveEntry entry) throws ImageArchiveException {
        List<String> parts = List.of(entry.name().split("/"));
        if (parts.size() != 3 || !parts.get(0).equals("blobs")) {
            return null;
        }
        try {
            return Digest.of(parts.get(1) + ":" + parts.get(2));
        } catch (OciException e) {
            throw new ImageArchiveException("entry " + entry.rawName() + ": a blob's name must be its digest (" + e.getMessage()
                    + "); refused");
        }
    }
}
