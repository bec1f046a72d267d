package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.RunProcess.Result;
import dev.berth.testing.BusyboxImage;
import dev.berth.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth build} end to end with the real jar, as root: a multi-stage Dockerfile FROM scratch
 * (COPY, COPY --from with --chown, ARG, ENV, WORKDIR, CMD, .dockerignore) built from a temporary
 * context holding Debian's static busybox, listed by {@code berth images}, run by {@code berth run};
 * two builds with SOURCE_DATE_EPOCH give the same image; RUN and a foreign platform are refused, and
 * a failed build removes the layers it wrote.
 */
class BuildCommandIT {

    private static final String DOCKERFILE = """
            FROM scratch AS tools
            COPY busybox /bin/busybox
            COPY files/ /data/

            FROM scratch
            ARG GREETING=hi
            ENV PATH=/bin GREETING="${GREETING} there"
            COPY --from=tools /bin/busybox /bin/
            COPY --from=tools --chown=1000:50 /data/ /srv/app/
            WORKDIR /srv
            WORKDIR app
            CMD ["/bin/busybox", "sh", "-c", "echo $GREETING; cat greeting; pwd; stat -c '%u:%g %a %n' greeting; ls"]
            """;

    @TempDir
    Path tmp;

    private Path root;
    private Path context;

    @BeforeEach
    void context() throws IOException {
        Requirements.root();
        Requirements.executable("runc", "runc");
        Requirements.executable("ip", "iproute2");
        Path busybox = BusyboxImage.busybox();
        root = tmp.resolve("root");
        context = Files.createDirectories(tmp.resolve("context"));
        Files.copy(busybox, context.resolve("busybox"));
        Files.createDirectories(context.resolve("files"));
        Files.writeString(context.resolve("files/greeting"), "hello from the context\n");
        Files.writeString(context.resolve("files/debug.log"), "left out\n");
        Files.writeString(context.resolve(".dockerignore"), "**/*.log\n");
        Files.writeString(context.resolve("Dockerfile"), DOCKERFILE);
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (Files.exists(root)) {
            RunProcess.removeRoot(root);
        }
    }

    @Test
    void aMultiStageBuildFromScratchIsListedAndRuns() throws Exception {
        Result build = berth(Map.of(), "build", "--root", root.toString(), "-t", "built/demo:1", "--build-arg", "GREETING=hey",
                context.toString());

        assertThat(build.exit()).as(build.err()).isZero();
        List<String> lines = build.out().lines().toList();
        assertThat(lines).startsWith("Step 1/11 : FROM scratch AS tools").contains(
                "Step 4/11 : FROM scratch",
                "Step 7/11 : COPY --from=tools /bin/busybox /bin/",
                "Step 11/11 : CMD [\"/bin/busybox\" \"sh\" \"-c\" \"echo $GREETING; cat greeting; pwd; stat -c '%u:%g %a %n' greeting; ls\"]",
                "Successfully tagged built/demo:1");
        assertThat(lines.stream().filter(l -> l.matches(" ---> [0-9a-f]{12}"))).hasSize(11);
        String id = lines.stream().filter(l -> l.startsWith("Successfully built ")).findFirst().orElseThrow().substring(19);
        assertThat(id).matches("[0-9a-f]{12}");

        Result images = berth(Map.of(), "images", "--root", root.toString());
        assertThat(images.out()).containsPattern("built/demo\\s+1\\s+" + id);

        Result run = RunProcess.run(root, "--rm", "built/demo:1");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("hey there\nhello from the context\n/srv/app\n1000:50 644 greeting\ngreeting\n");
    }

    @Test
    void aBuildFromALocalImageKeepsItsEnvAndChownsByItsAccountNames() throws Exception {
        Files.createDirectories(context.resolve("etc"));
        Files.writeString(context.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1234:99:app:/home/app:/bin/sh\n");
        Files.writeString(context.resolve("etc/group"), "root:x:0:\nstaff:x:50:app\n");
        Files.writeString(context.resolve("Dockerfile"), """
                FROM scratch
                COPY busybox /bin/busybox
                COPY etc/ /etc/
                ENV GREETING=from-base
                CMD ["/bin/busybox", "sh", "-c", "echo base"]
                """);
        Result base = berth(Map.of(), "build", "--root", root.toString(), "-q", "-t", "base:1", context.toString());
        assertThat(base.exit()).as(base.err()).isZero();
        Files.writeString(context.resolve("app.Dockerfile"), """
                FROM base:1
                COPY --chown=app:staff files/greeting /home/app/
                USER app
                WORKDIR /home/app
                ENTRYPOINT ["/bin/busybox", "sh", "-c", "echo $GREETING $PATH; id -u; stat -c '%u:%g' greeting /home/app", "--"]
                """);

        Result build = berth(Map.of(), "build", "--root", root.toString(), "-t", "app:1", "-f",
                context.resolve("app.Dockerfile").toString(), context.toString());
        assertThat(build.exit()).as(build.err()).isZero();
        Result run = RunProcess.run(root, "--rm", "app:1");

        assertThat(run.exit()).as(run.err()).isZero();
        // The base's Env is kept, the default PATH added, the base's CMD cleared by ENTRYPOINT, the names found in its /etc.
        assertThat(run.out()).isEqualTo("from-base /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n1234\n1234:50\n1234:50\n");
    }

    @Test
    void sourceDateEpochGivesTheSameImageTwice() throws Exception {
        Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1700000000");
        Result first = berth(env, "build", "--root", root.toString(), "-q", "-t", "repro:1", context.toString());
        Files.setLastModifiedTime(context.resolve("files/greeting"), FileTime.from(Instant.now()));
        Path other = tmp.resolve("other-root");
        Result second = berth(env, "build", "--root", other.toString(), "-q", "-t", "repro:1", context.toString());

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(first.out()).matches("sha256:[0-9a-f]{64}\n").isEqualTo(second.out());
        assertThat(manifest(other)).isEqualTo(manifest(root));
        RunProcess.removeRoot(other);
    }

    @Test
    void runAndAForeignPlatformAreRefusedInOneLineAndAFailedBuildLeavesNoLayers() throws Exception {
        Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY busybox /bin/\nRUN [\"/bin/busybox\", \"true\"]\n");
        Result run = berth(Map.of(), "build", "--root", root.toString(), "-t", "norun:1", context.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("berth: Dockerfile:3: RUN is not supported yet\n");
        // The COPY layer written before the refusal is removed again, and its snapshot.
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(p -> p.startsWith("blobs/") || p.startsWith("snapshots/"))).isEmpty();
        }

        Result platform = berth(Map.of(), "build", "--root", root.toString(), "--platform", "linux/riscv64", context.toString());
        assertThat(platform.exit()).isEqualTo(1);
        assertThat(platform.err()).startsWith("berth: --platform linux/riscv64: only this machine's platform");
    }

    private static Result berth(Map<String, String> env, String... args) throws Exception {
        return RunProcess.command(env, args);
    }

    private static String manifest(Path root) throws IOException {
        try (Stream<String> lines = Files.lines(root.resolve("images.json"))) {
            return lines.filter(l -> l.contains("\"manifest\"")).findFirst().orElseThrow().trim();
        }
    }
}
