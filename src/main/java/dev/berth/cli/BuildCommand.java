package dev.berth.cli;

import dev.berth.build.ImageBuilder;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageReference;
import dev.berth.oci.Platform;
import dev.berth.runtime.image.ImagePuller;
import dev.berth.runtime.image.ImageStore;
import dev.berth.runtime.image.PullListener;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code berth build CONTEXT}: an image from a Dockerfile, without a daemon ({@link ImageBuilder});
 * base images come from the local store, else are pulled. {@code SOURCE_DATE_EPOCH} in the
 * environment makes the build reproducible.
 */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = "Build an image from a Dockerfile (RUN is not supported yet).")
final class BuildCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    RegistryOptions registries;

    @Mixin
    UnpackOptions unpack;

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "The build context: a directory.")
    Path context;

    @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name the image (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The Dockerfile (default: CONTEXT/Dockerfile; - for standard input).")
    String file;

    @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]", description = "A build arg (KEY alone: its value from the environment).")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--target", paramLabel = "STAGE", description = "Build this stage (and what it needs), not the last.")
    String target;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Add a label to the image (repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--platform", paramLabel = "OS/ARCH", description = "Only this machine's platform can be built.")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "Print only the image id.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (platform != null && !Platform.host().accepts(Platform.parse(platform))) {
            throw new IllegalArgumentException("--platform " + platform + ": only this machine's platform (" + Platform.host()
                    + ") can be built");
        }
        if (!Files.isDirectory(context)) {
            throw new IllegalArgumentException("build context " + context + ": not a directory");
        }
        List<ImageReference> names = new ArrayList<>();
        for (String t : tags) {
            ImageReference name = ImageReference.parse(t);
            if (name.digest() != null) {
                throw new IllegalArgumentException("-t " + t + ": a tag, not a digest, names a built image");
            }
            names.add(name);
        }
        Path dockerfile = "-".equals(file) ? null : file != null ? Path.of(file) : context.resolve("Dockerfile");
        if (dockerfile != null && !Files.isRegularFile(dockerfile)) {
            throw new IllegalArgumentException("Dockerfile " + dockerfile + ": not found");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progress = quiet ? new PrintWriter(PrintWriter.nullWriter()) : out;
        ImageStore images = runtime.images();
        var content = runtime.content();
        var snapshots = runtime.snapshots(unpack.maxUnpackedSize());
        ImageBuilder.BaseImages bases = ref -> {
            ImageReference reference = ImageReference.parse(ref);
            return images.find(reference).isPresent() ? images.find(reference).get()
                    : new ImagePuller(content, images, snapshots, registries.clients()).pull(reference, Platform.host(), PullListener.SILENT);
        };
        try (Reader reader = dockerfile == null ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                : Files.newBufferedReader(dockerfile, StandardCharsets.UTF_8)) {
            Digest id = new ImageBuilder(content, images, snapshots, bases, progress).build(new ImageBuilder.Request(context, reader,
                    dockerfile == null ? "-" : dockerfile.getFileName().toString(), dockerfile, pairs("--build-arg", buildArgs, true),
                    Optional.ofNullable(target), pairs("--label", labels, false), names, sourceDateEpoch()));
            if (quiet) {
                out.println(id);
            }
            if (names.isEmpty() && !quiet) {
                out.println("note: no -t given: the image is not named, so berth images does not list it");
            }
        }
        out.flush();
        return 0;
    }

    private static Map<String, String> pairs(String option, List<String> values, boolean fromEnvironment) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String v : values) {
            int eq = v.indexOf('=');
            if (eq <= 0 && !(fromEnvironment && eq < 0 && !v.isEmpty())) {
                throw new IllegalArgumentException(option + " " + v + ": expected KEY=VALUE");
            }
            if (eq < 0) {
                String env = System.getenv(v);
                if (env != null) {
                    out.put(v, env);
                }
            } else {
                out.put(v.substring(0, eq), v.substring(eq + 1));
            }
        }
        return out;
    }

    private static Optional<Instant> sourceDateEpoch() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch == null || epoch.isEmpty()) {
            return Optional.empty();
        }
        if (!epoch.matches("\\d{1,12}")) {
            throw new IllegalArgumentException("SOURCE_DATE_EPOCH=" + epoch + ": expected seconds since 1970");
        }
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(epoch)));
    }
}
