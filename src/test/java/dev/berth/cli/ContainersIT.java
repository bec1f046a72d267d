package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.RunProcess.Result;
import dev.berth.oci.Digest;
import dev.berth.oci.MediaType;
import dev.berth.runtime.snapshot.OverlayRootfs;
import dev.berth.runtime.snapshot.SnapshotStore;
import dev.berth.testing.BusyboxImage;
import dev.berth.testing.Cli;
import dev.berth.testing.DatabaseNeutral;
import dev.berth.testing.RegistryIntegrationTest;
import dev.berth.testing.RegistryPusher;
import dev.berth.testing.Requirements;
import dev.berth.testing.TestImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What stays of a container on disk, as root with runc: its root copied where overlayfs cannot be
 * mounted (or when asked to), and {@code rmi} refusing an image a container was made from.
 */
@DatabaseNeutral
class ContainersIT extends RegistryIntegrationTest {

    private static String repo;
    private static TestImage image;
    private final List<Path> roots = new ArrayList<>();

    @BeforeEach
    void pushOnce() throws Exception {
        Requirements.root();
        Requirements.executable("runc", "runc");
        Requirements.executable("ip", "iproute2");
        if (repo == null) {
            image = BusyboxImage.image(MediaType.OCI_LAYER_GZIP);
            String name = uniqueName("containers");
            image.push(new RegistryPusher(uri("/")), name, "v1");
            image.push(new RegistryPusher(uri("/")), name, "v2");
            repo = name;
        }
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (Path root : roots) {
            List<String> mounts = Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" ")[1])
                    .filter(m -> m.startsWith(root.toString())).sorted(Comparator.reverseOrder()).toList();
            for (String m : mounts) {
                OverlayRootfs.unmount(Path.of(m));
            }
            try (Stream<Path> tree = Files.walk(root)) {
                for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private Path newRoot() throws IOException {
        Path root = Files.createTempDirectory("berth-containers-it-");
        roots.add(root);
        return root;
    }

    private String ref(String tag) {
        return "127.0.0.1:" + port + "/" + repo + ":" + tag;
    }

    private static final String LAYERS = "cat /srv/hello; ls /var/cache; test -e /etc/motd || echo motd gone";
    private static final String LAYERS_OUT = "hello from layer two\nnew\nmotd gone\n";

    private static Path containerDir(Path root, String name) throws IOException {
        return root.resolve("names").resolve(name).toRealPath();
    }

    private static boolean anyMountUnder(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/mounts")).stream().anyMatch(l -> l.split(" ")[1].startsWith(dir.toString()));
    }

    @Test
    void vfsCopiesTheLayersIntoTheContainersRootWithWhiteoutsApplied() throws Exception {
        Path root = newRoot();

        Result r = RunProcess.run(root, "--storage-driver", "vfs", "--name", "copied", "-u", "0", ref("v1"),
                LAYERS + "; echo written > /written");
        Result byEnv = RunProcess.start(root, Map.of("BERTH_STORAGE_DRIVER", "vfs"), new File("/dev/null"), "--rm", ref("v1"),
                LAYERS + "; grep -c ' / overlay ' /proc/mounts").finish();

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(LAYERS_OUT);
        Path dir = containerDir(root, "copied");
        assertThat(dir.resolve("rootfs/written")).hasContent("written");
        assertThat(dir.resolve("rootfs/srv/hello")).hasContent("hello from layer two\n");
        assertThat(dir.resolve("upper")).doesNotExist();
        assertThat(anyMountUnder(root)).isFalse();
        assertThat(byEnv.exit()).as(byEnv.err()).isEqualTo(1); // grep -c found no overlay root
        assertThat(byEnv.out()).isEqualTo(LAYERS_OUT + "0\n");
    }

    @Test
    void aFailedOverlayMountFallsBackToACopy() throws Exception {
        Path root = newRoot();
        // overlayfs refuses an upper directory on overlayfs: the containers' directories are put on one.
        Path containers = Files.createDirectories(root.resolve("containers"));
        Path under = Files.createDirectories(root.resolve("under"));
        Files.createDirectories(under.resolve("lower"));
        Files.createDirectories(under.resolve("upper"));
        Files.createDirectories(under.resolve("work"));
        new ProcessBuilder("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + under.resolve("lower") + ",upperdir="
                + under.resolve("upper") + ",workdir=" + under.resolve("work"), containers.toString()).inheritIO().start().waitFor();
        assertThat(OverlayRootfs.isMounted(containers)).isTrue();

        Result fallback = RunProcess.run(root, "--rm", ref("v1"), LAYERS);
        Result overlayOnly = RunProcess.run(root, "--rm", "--storage-driver", "overlay", ref("v1"), LAYERS);

        assertThat(fallback.exit()).as(fallback.err()).isZero();
        assertThat(fallback.out()).isEqualTo(LAYERS_OUT);
        assertThat(fallback.err()).contains("berth: overlay is not available here (mount overlay ")
                .contains("; copying the image into the container's root");
        assertThat(overlayOnly.exit()).isEqualTo(1);
        assertThat(overlayOnly.err()).startsWith("berth: mount overlay ").hasLineCount(1);
        try (Stream<Path> left = Files.list(containers)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void rmiRefusesTheLastReferenceToAnImageAContainerUsesUnlessForced() throws Exception {
        Path root = newRoot();
        Result kept = RunProcess.run(root, "--name", "keeper", ref("v1"), "true");
        Cli pulled = Cli.run("pull", "--root", root.toString(), ref("v2"));
        String container = containerDir(root, "keeper").getFileName().toString();
        String imageId = Digest.sha256(image.config()).hex();
        List<Digest> chains = SnapshotStore.chainIds(image.diffIds());
        String[] rootArgs = {"--root", root.toString()};

        Cli otherTag = Cli.run(concat("rmi", rootArgs, ref("v2")));
        Cli refused = Cli.run(concat("rmi", rootArgs, ref("v1")));
        Cli imagesAfterRefusal = Cli.run(concat("images", rootArgs));
        Cli forced = Cli.run(concat("rmi", rootArgs, "--force", ref("v1")));

        assertThat(kept.exit()).as(kept.err()).isZero();
        assertThat(pulled.exit()).as(pulled.err()).isZero();
        assertThat(otherTag.exit()).as(otherTag.err()).isZero();
        assertThat(otherTag.out()).contains("Untagged: " + ref("v2"));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("berth: conflict: unable to remove repository reference \"" + ref("v1")
                + "\" (must force) - container " + container.substring(0, 12) + " is using its referenced image "
                + imageId.substring(0, 12) + "\n");
        assertThat(imagesAfterRefusal.out()).contains(imageId.substring(0, 12));
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("Untagged: " + ref("v1"));
        assertThat(Cli.run(concat("images", rootArgs)).out().lines()).hasSize(1);
        for (Digest chain : chains) {
            assertThat(root.resolve("snapshots").resolve(chain.hex())).as("a snapshot under the container's root").isDirectory();
        }
    }

    private static String[] concat(String command, String[] rootArgs, String... rest) {
        return Stream.of(new String[] {command}, rootArgs, rest).flatMap(Stream::of).toArray(String[]::new);
    }
}
