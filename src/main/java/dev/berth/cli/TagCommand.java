package dev.berth.cli;

import dev.berth.oci.ImageReference;
import dev.berth.runtime.image.ImageRecord;
import dev.berth.runtime.image.ImageStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code berth tag SOURCE TARGET}: one more name for a local image (as {@code docker tag}); the
 * name then pushes ({@code berth push TARGET}). A name already taken moves to this image.
 */
@Command(name = "tag", mixinStandardHelpOptions = true,
        description = "Give a local image another name (REGISTRY/REPOSITORY:TAG), e.g. to push it there.")
final class TagCommand implements Callable<Integer> {

    @Mixin
    RuntimeOptions runtime;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "A local image: a reference or an image id (prefix).")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "The new name, e.g. localhost:5000/team/app:v2.")
    String target;

    @Override
    public Integer call() {
        ImageReference name = ImageReference.parse(target);
        if (name.digest() != null) {
            throw new IllegalArgumentException("refusing to create a tag with a digest reference: " + target);
        }
        ImageStore images = runtime.images();
        ImageRecord image = images.resolve(source).orElseThrow(() -> new IllegalStateException("No such image: " + source));
        images.put(new ImageRecord(name, image.resolved(), image.manifest(), image.config(), image.layers(), image.created(),
                image.unpackedSize()));
        return 0;
    }
}
