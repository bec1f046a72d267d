package dev.berth.cli;

import dev.berth.oci.Digest;
import dev.berth.runtime.container.ContainerRecord;
import dev.berth.runtime.image.ImageRecord;
import dev.berth.runtime.image.ImageRemover;
import dev.berth.runtime.image.ImageStore;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code berth rmi IMAGE...}: forget images and delete the blobs no other image uses. Like docker,
 * it refuses to remove the last reference to an image that a container (running, or exited and not
 * removed) was made from, unless {@code --force}; the snapshots under a container's root are kept
 * either way.
 */
@Command(name = "rmi", mixinStandardHelpOptions = true,
        description = "Remove images (by reference or image id) and the content no other image uses.")
final class RmiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Option(names = {"-f", "--force"}, description = "Remove the image even when a container uses it "
            + "(its layers stay until no container uses them).")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImageStore store = runtime.images();
        ImageRemover remover = new ImageRemover(runtime.content(), store, runtime.snapshots());
        List<ContainerRecord> containers = ContainerRecord.list(runtime.root());
        Set<Digest> containerSnapshots = new HashSet<>();
        containers.forEach(c -> containerSnapshots.addAll(c.snapshots()));
        int exit = 0;
        for (String name : images) {
            Optional<ImageRecord> found = store.resolve(name);
            if (found.isEmpty()) {
                err.println("berth: no such image: " + name);
                exit = CliErrorHandler.EXIT_FAILURE;
                continue;
            }
            ImageRecord image = found.get();
            Optional<ContainerRecord> user = lastReference(store, image) ? containers.stream()
                    .filter(c -> c.image().equals(image.id())).findFirst() : Optional.empty();
            if (user.isPresent() && !force) {
                err.println("berth: conflict: unable to remove repository reference \"" + name + "\" (must force) - container "
                        + user.get().id().substring(0, 12) + " is using its referenced image " + image.id().hex().substring(0, 12));
                exit = CliErrorHandler.EXIT_FAILURE;
                continue;
            }
            List<Digest> deleted = remover.remove(image, containerSnapshots);
            out.println("Untagged: " + image.reference());
            deleted.forEach(d -> out.println("Deleted: " + d));
        }
        out.flush();
        err.flush();
        return exit;
    }

    /** Whether no other reference names the same image (then removing this one removes the image). */
    private static boolean lastReference(ImageStore store, ImageRecord image) {
        return store.list().stream().noneMatch(r -> r.id().equals(image.id()) && !r.reference().equals(image.reference()));
    }
}
