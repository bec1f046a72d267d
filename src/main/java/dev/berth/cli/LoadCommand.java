package dev.berth.cli;

import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.runtime.image.ImageLoader;
import dev.berth.runtime.image.ImageRecord;
import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code berth load [-i FILE]}: the images of a docker-archive or OCI-archive tar (gzipped or not) into the local store. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Load images from a tar (docker save, podman save, skopeo docker-archive or oci-archive, berth save).")
final class LoadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    UnpackOptions unpack;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read from FILE instead of standard input.")
    Path input;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Which image of a multi-platform index (default: this machine's).")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Platform wanted = platform == null ? Platform.host() : Platform.parse(platform);
        long max = unpack.maxUnpackedSize();
        if (input == null && System.console() != null) {
            throw new IllegalStateException("requested load from stdin, but stdin is a terminal; use -i FILE or redirect the input");
        }
        List<ImageRecord> loaded;
        try (InputStream in = input == null ? new BufferedInputStream(new FileInputStream(FileDescriptor.in), 256 * 1024)
                : Files.newInputStream(input)) {
            loaded = new ImageLoader(runtime.content(), runtime.images(), runtime.snapshots(max), max).load(in, wanted);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!quiet) {
            for (ImageRecord image : loaded) {
                ImageReference name = image.reference();
                out.println("Loaded image: " + name.familiarRepository() + (name.tag() != null ? ":" + name.tag() : "@" + name.digest()));
            }
        }
        out.flush();
        return 0;
    }
}
