package dev.berth.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tar of sparse files, written by GNU tar itself ({@code tar --sparse --format=gnu}): each file
 * is one hole of the given size followed by {@code end}, so the tar holds a few KiB whatever the
 * files' size, and a reader that expands the holes gives back the whole size in zeros.
 */
public final class SparseTar {

    public static final String TAIL = "end";

    private SparseTar() {
    }

    /** Files {@code holes0…} of {@code hole + 3} bytes each, made under {@code dir}. */
    public static byte[] of(Path dir, int files, long hole) throws IOException, InterruptedException {
        Path tar = Requirements.executable("tar", "tar");
        Path content = Files.createDirectories(dir.resolve("sparse-files"));
        List<String> command = new ArrayList<>(List.of(tar.toString(), "--sparse", "--format=gnu", "--owner=0", "--group=0",
                "-C", content.toString(), "-cf", dir.resolve("sparse.tar").toString()));
        for (int i = 0; i < files; i++) {
            try (FileChannel file = FileChannel.open(content.resolve("holes" + i), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                file.write(ByteBuffer.wrap(TAIL.getBytes(StandardCharsets.US_ASCII)), hole);
            }
            command.add("holes" + i);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tar failed: " + output);
        }
        byte[] bytes = Files.readAllBytes(dir.resolve("sparse.tar"));
        if (bytes.length >= hole) {
            throw new IllegalStateException("tar wrote the holes (" + bytes.length + " bytes): the file system has no holes");
        }
        return bytes;
    }
}
