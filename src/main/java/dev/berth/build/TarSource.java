package dev.berth.build;

import dev.berth.build.Instruction.Add;
import dev.berth.layer.Entry;
import dev.berth.layer.LayerReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * ADD of a local tar archive (plain, gzip or zstd: what the project's one layer reader opens):
 * unpacked into the destination directory, entries keeping the archive's modes and owners (as
 * Docker does), mtimes clamped to SOURCE_DATE_EPOCH. Names are checked by the reader (no {@code ..},
 * no absolute paths); device nodes, FIFOs and whiteout entries are refused.
 */
final class TarSource {

    private TarSource() {
    }

    /** A gzip or zstd stream, or a tar with its {@code ustar} magic at offset 257. */
    static boolean isArchive(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] head = in.readNBytes(263);
            if (head.length >= 4 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return true;
            }
            if (head.length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                    && (head[3] & 0xff) == 0xfd) {
                return true;
            }
            return head.length >= 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
        }
    }

    static LayerBlob.Body entries(Path archive, Add add, StageState stage, String file, Instant created, Optional<Instant> clamp) {
        String dest = PathGlob.clean(add.destination().startsWith("/") ? add.destination() : stage.workdir() + "/" + add.destination());
        StageFiles files = stage.files();
        return layer -> {
            CopyStep.directoryChain(layer, files, dest, clamp, created);
            try (InputStream in = Files.newInputStream(archive, LinkOption.NOFOLLOW_LINKS);
                 LayerReader reader = LayerReader.open(in, LayerReader.DEFAULT_MAX_UNPACKED_SIZE, "the default unpack limit")) {
                for (Entry e; (e = reader.next()) != null; ) {
                    if (e.path().isRoot()) {
                        continue;
                    }
                    String target = (dest.equals("/") ? "" : dest) + "/" + e.path();
                    var mtime = CopyStep.clamp(e.mtime(), clamp);
                    switch (e.kind()) {
                        case DIRECTORY -> layer.directory(target, e.mode(), e.uid(), e.gid(), mtime);
                        case FILE -> layer.file(target, e.mode(), e.uid(), e.gid(), mtime, e.size(), reader.content());
                        case SYMLINK -> layer.symlink(target, e.linkName(), e.uid(), e.gid(), mtime);
                        case HARDLINK -> layer.hardLink(target, (dest.equals("/") ? "" : dest) + "/" + e.hardLinkTarget(),
                                e.mode(), e.uid(), e.gid(), mtime);
                        default -> throw new DockerfileException(file, add.line(), "ADD " + archive.getFileName() + ": "
                                + e.label() + " is a " + e.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                                + "; only files, directories and links are unpacked");
                    }
                }
                reader.finish();
            }
        };
    }
}
