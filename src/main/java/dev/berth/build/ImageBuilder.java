package dev.berth.build;

import dev.berth.build.Instruction.Add;
import dev.berth.build.Instruction.Copy;
import dev.berth.build.Instruction.Run;
import dev.berth.content.ContentStore;
import dev.berth.oci.Descriptor;
import dev.berth.oci.Digest;
import dev.berth.oci.ImageConfig;
import dev.berth.oci.ImageReference;
import dev.berth.oci.MediaType;
import dev.berth.oci.Platform;
import dev.berth.runtime.image.ImageRecord;
import dev.berth.runtime.image.ImageStore;
import dev.berth.runtime.snapshot.CopiedRootfs;
import dev.berth.runtime.snapshot.PendingSnapshot;
import dev.berth.runtime.snapshot.SnapshotStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code berth build} without RUN: the stages the target needs, in order, each from {@code scratch},
 * a local or pulled image, or an earlier stage; COPY and ADD write one gzip layer each straight from
 * the context (or from an earlier stage's files, {@code --from}); the other instructions change the
 * config; one history entry per instruction. The result is an OCI manifest in the content store,
 * its layers unpacked into snapshots, named in the image index under each tag.
 */
public final class ImageBuilder {

    /** A base image by reference, from the local store or pulled. */
    public interface BaseImages {
        ImageRecord get(String reference) throws IOException;
    }

    /**
     * @param dockerfilePath the Dockerfile on disk (for its .dockerignore), or null when it came from standard input
     * @param sourceDateEpoch SOURCE_DATE_EPOCH: the created time and the latest mtime, for reproducible builds
     */
    public record Request(Path context, Reader dockerfile, String dockerfileName, Path dockerfilePath, Map<String, String> buildArgs,
            Optional<String> target, Map<String, String> labels, List<ImageReference> tags, Optional<Instant> sourceDateEpoch) {
    }

    private static final int MAX_CONFIG_BYTES = 8 * 1024 * 1024;
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final ContentStore content;
    private final ImageStore images;
    private final SnapshotStore snapshots;
    private final BaseImages bases;
    private final PrintWriter out;
    private final List<Path> scratchDirs = new ArrayList<>();
    private final List<Digest> addedBlobs = new ArrayList<>();
    private final List<Digest> addedSnapshots = new ArrayList<>();

    public ImageBuilder(ContentStore content, ImageStore images, SnapshotStore snapshots, BaseImages bases, PrintWriter out) {
        this.content = content;
        this.images = images;
        this.snapshots = snapshots;
        this.bases = bases;
        this.out = out;
    }

    /** Builds the image; @return its id (the config digest) */
    public Digest build(Request request) throws IOException {
        Dockerfile dockerfile = Dockerfile.parse(request.dockerfile(), request.dockerfileName());
        BuildPlan plan = BuildPlan.of(dockerfile, request.buildArgs(), request.target());
        dockerfile.notes().forEach(out::println);
        plan.notes().forEach(out::println);
        Path context = request.context().toAbsolutePath().normalize();
        DockerIgnore ignore = DockerIgnore.forBuild(context, request.dockerfilePath() != null ? request.dockerfilePath()
                : context.resolve("Dockerfile"));
        BuildContext files = new BuildContext(context, ignore);
        Instant now = request.sourceDateEpoch().orElse(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        int total = plan.needed().stream().mapToInt(i -> plan.stages().get(i).instructions().size() + 1).sum();
        int step = 0;
        Map<Integer, StageState> built = new HashMap<>();
        boolean done = false;
        try {
            for (int index : plan.needed()) {
                Stage stage = plan.stages().get(index);
                step++;
                out.println("Step " + step + "/" + total + " : " + StepText.of(new Instruction.From(stage.line(), stage.base(),
                        stage.name(), stage.platform())));
                stage.platform().ifPresent(p -> requireHostPlatform(p, plan.file(), stage.line()));
                StageState s = stage.baseStage().isPresent() ? built.get(stage.baseStage().getAsInt()).copy()
                        : stage.fromScratch() ? StageState.scratch(Platform.host()) : base(stage.base());
                if (!s.env().containsKey("PATH")) {
                    // as the classic builder (and buildah) give every stage whose base sets none
                    Map<String, String> env = new LinkedHashMap<>(s.env());
                    env.put("PATH", DEFAULT_PATH);
                    s.setEnv(env);
                }
                s.scope = plan.scope(s.env());
                progress(s, now);
                for (Instruction raw : stage.instructions()) {
                    step++;
                    out.println("Step " + step + "/" + total + " : " + StepText.of(raw));
                    out.flush();
                    Instruction i = s.scope.expand(raw);
                    if (i instanceof Run) {
                        throw new DockerfileException(plan.file(), i.line(), "RUN is not supported yet");
                    } else if (i instanceof Copy || i instanceof Add) {
                        copy(s, i, files, context, plan, built, now, request.sourceDateEpoch());
                    } else {
                        MetadataStep.apply(s, i);
                        s.history(now, "/bin/sh -c #(nop)  " + StepText.of(i), true);
                    }
                    progress(s, now);
                }
                built.put(index, s);
            }
            StageState result = built.get(plan.target());
            if (!request.labels().isEmpty()) {
                ObjectNode labels = result.exec().get("Labels") instanceof ObjectNode o ? o : result.exec().putObject("Labels");
                request.labels().forEach(labels::put);
            }
            Digest id = record(result, now, request.tags());
            done = true;
            return id;
        } finally {
            if (!done) {
                undo();
            }
            for (Path dir : scratchDirs) {
                deleteTree(dir);
            }
        }
    }

    private void copy(StageState s, Instruction i, BuildContext context, Path contextDir, BuildPlan plan,
            Map<Integer, StageState> built, Instant now, Optional<Instant> clamp) throws IOException {
        List<String> sources;
        String destination;
        Optional<String> chown;
        Optional<String> chmod;
        Optional<String> from = Optional.empty();
        if (i instanceof Copy c) {
            sources = c.sources();
            destination = c.destination();
            chown = c.chown();
            chmod = c.chmod();
            from = c.from();
            if (!c.heredocs().isEmpty()) {
                throw new DockerfileException(plan.file(), i.line(), "COPY with a heredoc is not supported yet");
            }
        } else {
            Add a = (Add) i;
            sources = a.sources();
            destination = a.destination();
            chown = a.chown();
            chmod = a.chmod();
            if (!a.heredocs().isEmpty() || a.checksum().isPresent()
                    || sources.stream().anyMatch(src -> src.matches("(?i)(https?|git)://.*|git@.*"))) {
                throw new DockerfileException(plan.file(), i.line(), "ADD of a URL or a heredoc is not supported yet");
            }
        }
        BuildContext source = context;
        Path sourceRoot = contextDir;
        if (from.isPresent()) {
            sourceRoot = stageRoot(from.get(), plan, built);
            source = new BuildContext(sourceRoot, DockerIgnore.NONE);
        }
        List<BuildContext.Selected> selected = source.select(sources, destination, s.workdir(), plan.file(), i.line());
        LayerBlob.Body body = i instanceof Add add && selected.size() == 1 && selected.get(0).kind() == BuildContext.Kind.FILE
                && TarSource.isArchive(sourceRoot.resolve(selected.get(0).contextPath()))
                ? TarSource.entries(sourceRoot.resolve(selected.get(0).contextPath()), add, s, plan.file(), now, clamp)
                : CopyStep.entries(sourceRoot, selected, s.files(), chown, chmod, now, clamp, plan.file(), i.line());
        LayerBlob.Written layer = LayerBlob.write(content, body);
        if (layer.added()) {
            addedBlobs.add(layer.descriptor().digest());
        }
        Digest chain = SnapshotStore.chainIds(append(s.diffIds, layer.diffId())).get(s.diffIds.size());
        if (!snapshots.has(chain)) {
            try (PendingSnapshot pending = snapshots.begin(chain); InputStream in = content.open(layer.descriptor().digest())) {
                pending.unpack(layer.descriptor().digest(), in);
                pending.commit(layer.diffId(), layer.descriptor().digest().toString());
            }
            addedSnapshots.add(chain);
        }
        s.addLayer(layer.descriptor(), layer.diffId(), snapshots.path(chain));
        String kind = selected.size() == 1 ? (selected.get(0).kind() == BuildContext.Kind.DIRECTORY ? "dir" : "file") : "multi";
        s.history(now, "/bin/sh -c #(nop) " + i.keyword() + " " + kind + ":" + layer.diffId().hex() + " in " + destination + " ",
                false);
    }

    /** The files of an earlier stage (or an image) for COPY --from, copied out of their snapshots once per build. */
    private Path stageRoot(String ref, BuildPlan plan, Map<Integer, StageState> built) throws IOException {
        Optional<Stage> stage = plan.stages().stream().filter(st -> st.name().equals(Optional.of(ref.toLowerCase(java.util.Locale.ROOT)))
                || ref.matches("\\d{1,9}") && st.index() == Integer.parseInt(ref)).findFirst();
        StageState s = stage.isPresent() ? built.get(stage.get().index()) : base(ref);
        Path dir = Files.createTempDirectory("berth-build-");
        scratchDirs.add(dir);
        return s.snapshots.isEmpty() ? Files.createDirectory(dir.resolve("rootfs")) : CopiedRootfs.copy(s.snapshots, dir);
    }

    private StageState base(String reference) throws IOException {
        ImageRecord image = bases.get(reference);
        byte[] config = content.read(image.config(), MAX_CONFIG_BYTES);
        List<Digest> diffIds = ImageConfig.parse(config).diffIds();
        return StageState.of(config, image.layers(), diffIds, snapshots.prepare(image.layers(), diffIds, content));
    }

    private Digest record(StageState s, Instant created, List<ImageReference> tags) throws IOException {
        byte[] config = s.configBytes(created);
        Digest configDigest = Digest.sha256(config);
        content.put(configDigest, config);
        ObjectNode m = StageState.JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaType.OCI_MANIFEST.value());
        m.putObject("config").put("mediaType", MediaType.OCI_CONFIG.value()).put("digest", configDigest.toString())
                .put("size", config.length);
        ArrayNode layers = m.putArray("layers");
        s.layers.forEach(l -> layers.addObject().put("mediaType", l.mediaType().value()).put("digest", l.digest().toString())
                .put("size", l.size()));
        byte[] manifest = StageState.JSON.writeValueAsBytes(m);
        Digest manifestDigest = Digest.sha256(manifest);
        content.put(manifestDigest, manifest);
        long size = 0;
        for (Digest chain : SnapshotStore.chainIds(s.diffIds)) {
            size += snapshots.size(chain);
        }
        out.println("Successfully built " + configDigest.hex().substring(0, 12));
        for (ImageReference tag : tags) {
            images.put(new ImageRecord(tag, manifestDigest, manifestDigest, configDigest, s.layers, created, size));
            out.println("Successfully tagged " + tag.familiarRepository() + ":" + tag.tag());
        }
        out.flush();
        return configDigest;
    }

    /** A failed build removes the layers and snapshots it added that no image in the index uses. */
    private void undo() {
        java.util.Set<Digest> used = new java.util.HashSet<>();
        images.list().forEach(r -> used.addAll(r.blobs()));
        for (Digest chain : addedSnapshots) {
            try {
                snapshots.remove(chain);
            } catch (IOException | RuntimeException ignored) {
                // the build's own failure is what the user needs to see
            }
        }
        for (Digest blob : addedBlobs) {
            try {
                if (!used.contains(blob)) {
                    content.delete(blob);
                }
            } catch (IOException | RuntimeException ignored) {
                // as above
            }
        }
    }

    private void progress(StageState s, Instant now) {
        out.println(" ---> " + Digest.sha256(s.configBytes(now)).hex().substring(0, 12));
        out.flush();
    }

    static void requireHostPlatform(String platform, String file, int line) {
        if (!Platform.host().accepts(Platform.parse(platform))) {
            throw new DockerfileException(file, line, "platform " + platform + " is not this machine's (" + Platform.host()
                    + "); only the host's platform can be built");
        }
    }

    private static List<Digest> append(List<Digest> list, Digest d) {
        List<Digest> out = new ArrayList<>(list);
        out.add(d);
        return out;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException ignored) {
            // a temporary copy left behind is no reason to fail a build that succeeded
        }
    }
}
