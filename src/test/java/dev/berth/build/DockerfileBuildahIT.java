package dev.berth.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * buildah builds buildah-config.Dockerfile (metadata only, FROM scratch) and its image config is
 * what berth's parser and expansion make of the same file: Env, WorkingDir, User, ExposedPorts,
 * Volumes, Labels, StopSignal.
 */
@DatabaseNeutral
class DockerfileBuildahIT {

    /** The PATH buildah (and buildkit) give an image FROM scratch. */
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    @TempDir
    Path work;

    @Test
    void theConfigBuildahWritesIsTheOneTheParserExpandsTo() throws Exception {
        Path buildah = Requirements.executable("buildah", "buildah");
        Requirements.root();
        Path context = Files.createDirectories(work.resolve("context"));
        try (InputStream in = getClass().getResourceAsStream("/dockerfiles/buildah-config.Dockerfile")) {
            Files.copy(in, context.resolve("Dockerfile"));
        }
        Files.writeString(work.resolve("storage.conf"), "[storage]\ndriver = \"vfs\"\ngraphroot = \"%s\"\nrunroot = \"%s\"\n"
                .formatted(work.resolve("graph"), work.resolve("run")));
        Files.writeString(work.resolve("policy.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        Files.createDirectories(work.resolve("tmp"));
        run(buildah.toString(), "bud", "--signature-policy", work.resolve("policy.json").toString(), "--layers=false",
                "--build-arg", "V=2", "-t", "localhost/berth-build-it:1", "-f", context.resolve("Dockerfile").toString(),
                context.toString());
        JsonNode config = JsonMapper.builder().build().readTree(run(buildah.toString(), "inspect", "--type", "image",
                "localhost/berth-build-it:1")).path("OCIv1").path("config");

        Map<String, Object> theirs = new TreeMap<>();
        theirs.put("Env", strings(config.path("Env")));
        theirs.put("WorkingDir", config.path("WorkingDir").asString());
        theirs.put("User", config.path("User").asString());
        theirs.put("ExposedPorts", names(config.path("ExposedPorts")));
        theirs.put("Volumes", names(config.path("Volumes")));
        Map<String, String> labels = new TreeMap<>();
        config.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
        labels.remove("io.buildah.version");
        theirs.put("Labels", labels);
        theirs.put("StopSignal", config.path("StopSignal").asString());

        assertEquals(theirs, ours(Files.readString(context.resolve("Dockerfile"))));
    }

    /** The same fields from berth's parse and expansion of the file. */
    private static Map<String, Object> ours(String text) {
        BuildPlan plan = BuildPlan.of(Dockerfile.parse(text), Map.of("V", "2"), Optional.empty());
        StageScope scope = plan.scope(Map.of("PATH", DEFAULT_PATH));
        Map<String, Object> ours = new TreeMap<>();
        List<String> ports = new ArrayList<>();
        List<String> volumes = new ArrayList<>();
        Map<String, String> labels = new TreeMap<>();
        for (Instruction i : plan.targetStage().instructions()) {
            Instruction e = scope.expand(i);
            scope.apply(e);
            if (e instanceof Instruction.Workdir w) {
                ours.put("WorkingDir", w.path());
            } else if (e instanceof Instruction.User u) {
                ours.put("User", u.user());
            } else if (e instanceof Instruction.StopSignal s) {
                ours.put("StopSignal", s.signal());
            } else if (e instanceof Instruction.Expose x) {
                ports.addAll(x.ports());
            } else if (e instanceof Instruction.Volume v) {
                volumes.addAll(v.paths());
            } else if (e instanceof Instruction.Label l) {
                l.pairs().forEach(p -> labels.put(p.key(), p.value()));
            }
        }
        ours.put("Env", scope.env().entrySet().stream().map(x -> x.getKey() + "=" + x.getValue()).toList());
        ours.put("ExposedPorts", ports.stream().sorted().toList());
        ours.put("Volumes", volumes.stream().sorted().toList());
        ours.put("Labels", labels);
        return ours;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static List<String> names(JsonNode object) {
        return object.propertyNames().stream().sorted().toList();
    }

    private String run(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("CONTAINERS_STORAGE_CONF", work.resolve("storage.conf").toString());
        env.put("TMPDIR", work.resolve("tmp").toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + ": timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + ": exit " + p.exitValue() + ": " + text);
        }
        return text;
    }
}
