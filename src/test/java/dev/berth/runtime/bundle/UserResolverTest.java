package dev.berth.runtime.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {

    @TempDir
    Path rootfs;

    @BeforeEach
    void etc() throws Exception {
        Files.createDirectory(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                # a comment
                app:x:1000:1000:App:/home/app:/bin/sh
                broken:line
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                app:x:1000:
                audio:x:29:app,other
                video:x:44:other
                """);
    }

    @Test
    void resolvesNamesAndIdsThroughTheImagesFiles() throws Exception {
        assertThat(UserResolver.resolve(rootfs, null)).isEqualTo(new ExecUser(0, 0, List.of(), "/root"));
        assertThat(UserResolver.resolve(rootfs, "app")).isEqualTo(new ExecUser(1000, 1000, List.of(29), "/home/app"));
        assertThat(UserResolver.resolve(rootfs, "1000")).isEqualTo(new ExecUser(1000, 1000, List.of(29), "/home/app"));
        assertThat(UserResolver.resolve(rootfs, "app:video")).isEqualTo(new ExecUser(1000, 44, List.of(29), "/home/app"));
        assertThat(UserResolver.resolve(rootfs, "4242:4343")).isEqualTo(new ExecUser(4242, 4343, List.of(), "/"));
        assertThat(UserResolver.resolve(rootfs, "4242")).isEqualTo(new ExecUser(4242, 0, List.of(), "/"));
    }

    @Test
    void unknownNamesAreErrors() {
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "nobody")).hasMessageContaining("unable to find user nobody");
        assertThatThrownBy(() -> UserResolver.resolve(rootfs, "app:wheel")).hasMessageContaining("unable to find group wheel");
    }

    @Test
    void aSymlinkedPasswdIsNotFollowedOutOfTheImage() throws Exception {
        Path outside = Files.writeString(rootfs.getParent().resolve("host-passwd-" + System.nanoTime()), "evil:x:0:0::/:/bin/sh\n");
        try {
            Files.delete(rootfs.resolve("etc/passwd"));
            Files.createSymbolicLink(rootfs.resolve("etc/passwd"), outside);

            assertThatThrownBy(() -> UserResolver.resolve(rootfs, "evil")).hasMessageContaining("unable to find user evil");
        } finally {
            Files.delete(outside);
        }
    }
}
