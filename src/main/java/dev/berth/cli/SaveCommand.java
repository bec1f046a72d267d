package dev.berth.cli;

import dev.berth.runtime.image.ArchiveFormat;
import dev.berth.runtime.image.ImageRecord;
import dev.berth.runtime.image.ImageSaver;
import dev.berth.runtime.image.ImageStore;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth save IMAGE... [-o FILE]}: local images as a tar, docker's by default. A file is
 * written beside its name and renamed into place when complete, so a failed save leaves none.
 */
@Command(name = "save", mixinStandardHelpOptions = true,
        description = "Save images to a tar (docker-archive, which docker, podman and skopeo load; or oci-archive).")
final class SaveCommand implements Callable<Integer> {

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "docker-archive",
            description = "docker-archive (default: manifest.json, repositories and an OCI layout) or oci-archive (the OCI layout only).")
    String format;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Local images, by reference or image id.")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        ArchiveFormat chosen = ArchiveFormat.parse(format);
        ImageStore images = runtime.images();
        List<ImageRecord> chosenImages = new ArrayList<>();
        for (String name : names) {
            chosenImages.add(images.resolve(name).orElseThrow(() -> new IllegalStateException("No such image: " + name)));
        }
        ImageSaver saver = new ImageSaver(runtime.content());
        if (output == null) {
            if (System.console() != null) {
                throw new IllegalStateException("cowardly refusing to write a tar to a terminal; use -o FILE or redirect the output");
            }
            OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 256 * 1024);
            saver.save(chosenImages, chosen, out);
            out.flush();
            return 0;
        }
        Path target = output.toAbsolutePath();
        Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 256 * 1024)) {
                saver.save(chosenImages, chosen, out);
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(partial);
        }
        return 0;
    }
}
