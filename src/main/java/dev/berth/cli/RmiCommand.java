package dev.berth.cli;

import dev.berth.oci.Digest;
import dev.berth.runtime.image.ImageRecord;
import dev.berth.runtime.image.ImageRemover;
import dev.berth.runtime.image.ImageStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code berth rmi IMAGE...}: forget images and delete the blobs no other image uses. */
@Command(name = "rmi", mixinStandardHelpOptions = true,
        description = "Remove images (by reference or image id) and the content no other image uses.")
final class RmiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ImageStore store = runtime.images();
        ImageRemover remover = new ImageRemover(runtime.content(), store, runtime.snapshots());
        int exit = 0;
        for (String name : images) {
            Optional<ImageRecord> found = store.resolve(name);
            if (found.isEmpty()) {
                err.println("berth: no such image: " + name);
                exit = CliErrorHandler.EXIT_FAILURE;
                continue;
            }
            List<Digest> deleted = remover.remove(found.get());
            out.println("Untagged: " + found.get().reference());
            deleted.forEach(d -> out.println("Deleted: " + d));
        }
        out.flush();
        err.flush();
        return exit;
    }
}
