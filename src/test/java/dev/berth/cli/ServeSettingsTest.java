package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeSettingsTest {

    @Test
    void theOfflineCommandsTakeTheDataDirectoryAndSpringSettingsAsServeDoes() {
        GcCommand gc = new GcCommand();
        new CommandLine(gc).parseArgs("--dry-run", "-d", "/srv/berth", "--spring.datasource.url=jdbc:postgresql://db/berth");
        assertThat(gc.dryRun).isTrue();
        assertThat(gc.settings.arguments(gc.springArguments)).containsExactly("--spring.datasource.url=jdbc:postgresql://db/berth",
                "--berth.data-dir=" + Path.of("/srv/berth").toAbsolutePath());

        FsckCommand fsck = new FsckCommand();
        new CommandLine(fsck).parseArgs("--repair", "--data-dir=data2");
        assertThat(fsck.repair).isTrue();
        assertThat(fsck.settings.arguments(fsck.springArguments)).containsExactly("--berth.data-dir=" + Path.of("data2").toAbsolutePath());

        ResetPasswordCommand reset = new ResetPasswordCommand();
        new CommandLine(reset).parseArgs("admin", "--berth.auth.mode=token");
        assertThat(reset.username).isEqualTo("admin");
        assertThat(reset.settings.arguments(reset.springArguments)).containsExactly("--berth.auth.mode=token");
    }

    @Test
    void anArgumentThatIsNotASettingIsRefusedInOneLine() {
        GcCommand gc = new GcCommand();
        new CommandLine(gc).parseArgs("--dry-run", "now");
        assertThatThrownBy(() -> gc.settings.arguments(gc.springArguments)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown argument now (settings are given as --name=value)");
    }
}
