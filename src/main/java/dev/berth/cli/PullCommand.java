package dev.berth.cli;

import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.runtime.image.ImageRecord;
import dev.berth.runtime.image.ImageStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code berth pull IMAGE}: an image from a registry into the local store. */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Pull an image from a registry (layers already present are skipped).")
final class PullCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "e.g. busybox, localhost:5000/team/app:v1, app@sha256:…")
    String image;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
            description = "Which image of a multi-platform index (default: this machine's).")
    String platform;

    @Mixin
    RegistryOptions registries;

    @Mixin
    UnpackOptions unpack;

    @Option(names = {"-q", "--quiet"}, description = "Print only the image reference.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        ImageReference reference = ImageReference.parse(image);
        Platform wanted = platform == null ? Platform.host() : Platform.parse(platform);
        PrintWriter out = spec.commandLine().getOut();
        ImageStore images = runtime.images();
        Optional<ImageRecord> before = images.find(reference);
        PullProgress progress = new PullProgress(quiet ? new PrintWriter(PrintWriter.nullWriter()) : out, System.console() != null);
        ImageRecord pulled = new ImagePuller(runtime.content(), images, runtime.snapshots(unpack.maxUnpackedSize()),
                registries.clients())
                .pull(reference, wanted, progress);
        if (!quiet) {
            out.println("Digest: " + pulled.resolved());
            boolean upToDate = !progress.downloadedAnything() && before.map(b -> b.manifest().equals(pulled.manifest())).orElse(false);
            out.println("Status: " + (upToDate ? "Image is up to date for " : "Downloaded newer image for ") + reference);
        }
        out.println(reference);
        out.flush();
        return 0;
    }
}
