package dev.berth.runtime.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountTargetTest {

    @TempDir
    Path tmp;

    @Test
    void missingDirectoriesAreMadeInsideTheRoot() throws Exception {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("var"));

        assertThat(MountTarget.prepare(rootfs, "/var/lib/data", true)).isEqualTo(rootfs.resolve("var/lib/data"));
        assertThat(rootfs.resolve("var/lib/data")).isDirectory();
        assertThat(MountTarget.prepare(rootfs, "/etc/conf.txt", false)).isRegularFile();
    }

    @Test
    void aSymlinkAtOrOnTheWayToTheDestinationIsRefused() throws Exception {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(rootfs.resolve("data"), outside);
        Files.createSymbolicLink(rootfs.resolve("etc"), Path.of("/etc"));
        Files.createDirectories(rootfs.resolve("srv"));
        Files.writeString(rootfs.resolve("srv/file"), "x");

        assertThatThrownBy(() -> MountTarget.prepare(rootfs, "/etc", true)).hasMessageContaining("/etc is a symlink in the image");
        assertThatThrownBy(() -> MountTarget.prepare(rootfs, "/data/sub", true))
                .hasMessageContaining("/data is a symlink in the image");
        assertThatThrownBy(() -> MountTarget.prepare(rootfs, "/srv/file/x", true)).hasMessageContaining("/srv/file is not a directory");
        assertThatThrownBy(() -> MountTarget.prepare(rootfs, "/srv", false)).hasMessageContaining("it is a directory");
        assertThat(outside.resolve("sub")).doesNotExist();
        assertThat(Files.isSymbolicLink(rootfs.resolve("data"))).isTrue();
        assertThat(rootfs.resolve("etc")).matches(p -> Files.isSymbolicLink(p) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
    }
}
