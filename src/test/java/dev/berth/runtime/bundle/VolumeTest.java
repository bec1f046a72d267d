package dev.berth.runtime.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VolumeTest {

    @Test
    void anAbsoluteSourceIsABindMountAndANameIsAVolume() {
        assertThat(Volume.parse("/a:/b")).isEqualTo(new Volume(Path.of("/a"), null, "/b", ""));
        assertThat(Volume.parse("/a/:/b/c/:ro")).isEqualTo(new Volume(Path.of("/a"), null, "/b/c", "ro"));
        assertThat(Volume.parse("/a:/b:rw").readOnly()).isFalse();
        assertThat(Volume.parse("/a:/b:ro").readOnly()).isTrue();
        Volume named = Volume.parse("data_1.x-y:/var/lib/data");
        assertThat(named).isEqualTo(new Volume(null, "data_1.x-y", "/var/lib/data", ""));
        assertThat(named.named()).isTrue();
        assertThat(named.at(Path.of("/r/volumes/data_1.x-y/_data")).host()).isEqualTo(Path.of("/r/volumes/data_1.x-y/_data"));
    }

    @Test
    void badSpecsAreRefusedInOneLine() {
        assertThatThrownBy(() -> Volume.parse("./data:/b")).hasMessageContaining("host path must be absolute, or a volume name");
        assertThatThrownBy(() -> Volume.parse("data/x:/b")).hasMessageContaining("host path must be absolute, or a volume name");
        assertThatThrownBy(() -> Volume.parse("x:/b")).hasMessageContaining("or a volume name"); // docker wants 2 characters
        assertThatThrownBy(() -> Volume.parse("/a/../etc:/b")).hasMessageContaining("must not contain ..");
        assertThatThrownBy(() -> Volume.parse("/a:b")).hasMessageContaining("container path must be absolute");
        assertThatThrownBy(() -> Volume.parse("/a:/")).hasMessageContaining("not /");
        assertThatThrownBy(() -> Volume.parse("/a://")).hasMessageContaining("not /");
        assertThatThrownBy(() -> Volume.parse("/a:/x/../y")).hasMessageContaining("without ..");
        assertThatThrownBy(() -> Volume.parse("/a:/b:rx")).hasMessageContaining("ro or rw");
        assertThatThrownBy(() -> Volume.parse("/a")).hasMessageContaining("expected HOST-PATH|NAME:CONTAINER-PATH");
        assertThatThrownBy(() -> Volume.parse("/a:/b:ro:x")).hasMessageContaining("expected");
        assertThatThrownBy(() -> Volume.parse(":/b")).hasMessageContaining("expected");
    }

    @Test
    void tmpfsTakesDockersOptionsAndNothingElse() {
        assertThat(Tmpfs.parse("/run")).isEqualTo(new Tmpfs("/run", ""));
        assertThat(Tmpfs.parse("/run").mountOptions()).containsExactly("noexec", "nosuid", "nodev");
        Tmpfs sized = Tmpfs.parse("/t/:size=64m,mode=1777,exec,uid=1000");
        assertThat(sized.destination()).isEqualTo("/t");
        assertThat(sized.mountOptions()).containsExactly("noexec", "nosuid", "nodev", "size=64m", "mode=1777", "exec", "uid=1000");
        assertThatThrownBy(() -> Tmpfs.parse("run")).hasMessageContaining("container path must be absolute");
        assertThatThrownBy(() -> Tmpfs.parse("/t:size=64m,bind")).hasMessageContaining("unknown option bind");
        assertThatThrownBy(() -> Tmpfs.parse("/t:size=64m,")).hasMessageContaining("unknown option \"\"");
        assertThatThrownBy(() -> Tmpfs.parse("/t:mode=999")).hasMessageContaining("unknown option mode=999");
        assertThatThrownBy(() -> Tmpfs.parse("/t:size=1e9")).hasMessageContaining("unknown option size=1e9");
        assertThatThrownBy(() -> Tmpfs.parse("/t:x,nr_inodes=1")).hasMessageContaining("unknown option x");
    }
}
