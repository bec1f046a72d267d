package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.RunProcess.Result;
import dev.berth.layer.Entry;
import dev.berth.layer.LayerReader;
import dev.berth.oci.Digest;
import dev.berth.testing.Requirements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The same Dockerfile (multi-stage FROM scratch: COPY of a tree with its modes and a symlink, COPY
 * --from, --chown, --chmod, a directory to a new path) built by buildah and by berth: the file trees
 * of the two images (names, types, modes, owners, contents, link targets; not mtimes) and their Env
 * and WorkingDir are the same.
 */
class BuildBuildahTreeIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private Path root;

    @AfterEach
    void cleanUp() throws IOException {
        if (root != null && Files.exists(root)) {
            RunProcess.removeRoot(root);
        }
    }

    @Test
    void berthAndBuildahBuildTheSameTree() throws Exception {
        Path buildah = Requirements.executable("buildah", "buildah");
        Requirements.root();
        Path context = Files.createDirectories(work.resolve("context"));
        Files.createDirectories(context.resolve("tree/dir/deeper"));
        write(context.resolve("tree/a.txt"), "a\n", "rw-r-----");
        write(context.resolve("tree/run.sh"), "#!/bin/sh\n", "rwxr-xr-x");
        write(context.resolve("tree/dir/b.txt"), "b\n", "rw-------");
        write(context.resolve("tree/dir/deeper/c.txt"), "c\n", "rw-rw-r--");
        Files.setPosixFilePermissions(context.resolve("tree/dir"), PosixFilePermissions.fromString("rwx--x--x"));
        Files.createSymbolicLink(context.resolve("tree/link"), Path.of("dir/b.txt"));
        Files.writeString(context.resolve("Dockerfile"), """
                FROM scratch AS files
                COPY tree/ /stage/
                FROM scratch
                COPY --from=files /stage/ /opt/tree/
                COPY --chown=7:8 --chmod=0640 tree/a.txt tree/run.sh /srv/
                COPY tree/dir /srv/dir
                WORKDIR /srv
                ENV A=1
                """);
        Files.writeString(work.resolve("storage.conf"), "[storage]\ndriver = \"vfs\"\ngraphroot = \"%s\"\nrunroot = \"%s\"\n"
                .formatted(work.resolve("graph"), work.resolve("run")));
        Files.writeString(work.resolve("policy.json"), "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        Files.createDirectories(work.resolve("tmp"));
        run(buildah.toString(), "bud", "--signature-policy", work.resolve("policy.json").toString(), "--layers=false",
                "-t", "localhost/berth-tree-it:1", context.toString());
        Path layout = work.resolve("layout");
        run(buildah.toString(), "push", "--signature-policy", work.resolve("policy.json").toString(), "localhost/berth-tree-it:1",
                "oci:" + layout);
        JsonNode index = JSON.readTree(Files.readAllBytes(layout.resolve("index.json")));
        Function<String, Path> theirBlob = d -> layout.resolve("blobs/sha256").resolve(d.substring(7));
        Map<String, String> theirs = tree(theirBlob, index.path("manifests").get(0).path("digest").asString());

        root = work.resolve("berth-root");
        Result build = RunProcess.command(Map.of(), "build", "--root", root.toString(), "-t", "tree:1", context.toString());
        assertThat(build.exit()).as(build.err()).isZero();
        String manifest = JSON.readTree(Files.readAllBytes(root.resolve("images.json"))).path("images").get(0).path("manifest")
                .asString();
        Function<String, Path> ourBlob = d -> root.resolve("blobs/sha256").resolve(d.substring(7, 9)).resolve(d.substring(7));
        Map<String, String> ours = tree(ourBlob, manifest);

        assertThat(ours).hasSize(16).isEqualTo(theirs);
        assertThat(config(ourBlob, manifest)).isEqualTo(config(theirBlob, index.path("manifests").get(0).path("digest").asString()));
    }

    /** The config's Env and WorkingDir. */
    private static String config(Function<String, Path> blob, String manifestDigest) throws IOException {
        JsonNode manifest = JSON.readTree(Files.readAllBytes(blob.apply(manifestDigest)));
        JsonNode c = JSON.readTree(Files.readAllBytes(blob.apply(manifest.path("config").path("digest").asString()))).path("config");
        return c.path("Env") + " " + c.path("WorkingDir");
    }

    /** The image's files after all its layers: path → kind, mode, owner, content digest or link target. */
    private static Map<String, String> tree(Function<String, Path> blob, String manifestDigest) throws IOException {
        JsonNode manifest = JSON.readTree(Files.readAllBytes(blob.apply(manifestDigest)));
        Map<String, String> out = new TreeMap<>();
        for (JsonNode layer : manifest.path("layers")) {
            try (InputStream in = Files.newInputStream(blob.apply(layer.path("digest").asString()));
                 LayerReader reader = LayerReader.open(in, 1L << 30, "test")) {
                for (Entry e; (e = reader.next()) != null; ) {
                    String what = e.kind() + " " + Integer.toOctalString(e.mode()) + " " + e.uid() + ":" + e.gid();
                    if (e.kind() == Entry.Kind.FILE) {
                        what += " " + sha256(reader.content());
                    } else if (e.kind() == Entry.Kind.SYMLINK) {
                        what += " -> " + e.linkName();
                    }
                    out.put("/" + e.path(), what);
                }
            }
        }
        return out;
    }

    private static String sha256(InputStream in) throws IOException {
        MessageDigest md = Digest.Algorithm.SHA256.newMessageDigest();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 12);
    }

    private static void write(Path file, String text, String mode) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    }

    private String run(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("CONTAINERS_STORAGE_CONF", work.resolve("storage.conf").toString());
        pb.environment().put("TMPDIR", work.resolve("tmp").toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + ": timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + text).isZero();
        return text;
    }
}
