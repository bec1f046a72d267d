package dev.berth.cli;

import dev.berth.oci.ImageReference;
import dev.berth.runtime.image.ImagePusher;
import dev.berth.runtime.image.ImageRecord;
import dev.berth.runtime.image.ImageStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code berth push IMAGE}: a local image to the registry its reference names. */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Push a local image to a registry (blobs the registry has are skipped, others mounted when they can be).")
final class PushCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    RegistryOptions registries;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "A local image, e.g. localhost:5000/team/app:v1 (see berth tag).")
    String image;

    @Option(names = {"-q", "--quiet"}, description = "Print only the last line (TAG: digest: … size: …).")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        ImageReference target = ImageReference.parse(image);
        ImageStore images = runtime.images();
        ImageRecord local = images.find(target).orElseThrow(() -> new IllegalStateException(
                "An image does not exist locally with the tag: " + target.familiarRepository()
                        + (target.tag() != null ? ":" + target.tag() : "@" + target.digest())));
        PrintWriter out = spec.commandLine().getOut();
        PushProgress progress = new PushProgress(out, System.console() != null, quiet);
        progress.started(target);
        new ImagePusher(runtime.content(), images, registries.clients()).push(local, target, progress);
        out.flush();
        return 0;
    }
}
