package dev.berth.runtime.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.ImageConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandResolverTest {

    private static ImageConfig.Execution image(List<String> entrypoint, List<String> cmd, List<String> env) {
        return new ImageConfig.Execution(entrypoint, cmd, env, null, null, null, Map.of());
    }

    private static RunOptions run(String entrypoint, List<String> args, List<String> env) {
        return new RunOptions(entrypoint, args, env, null, null, null, false, List.of(), List.of(), 0, 0, 0,
                RunOptions.NetworkMode.NONE, false);
    }

    @Test
    void followsDockersEntrypointAndCmdRules() {
        ImageConfig.Execution both = image(List.of("/entry", "-x"), List.of("default"), List.of());

        assertThat(CommandResolver.argv(both, run(null, List.of(), List.of()))).containsExactly("/entry", "-x", "default");
        assertThat(CommandResolver.argv(both, run(null, List.of("a", "b"), List.of()))).containsExactly("/entry", "-x", "a", "b");
        assertThat(CommandResolver.argv(both, run("/other", List.of(), List.of()))).containsExactly("/other");
        assertThat(CommandResolver.argv(both, run("/other", List.of("z"), List.of()))).containsExactly("/other", "z");
        assertThat(CommandResolver.argv(both, run("", List.of("ls"), List.of()))).containsExactly("ls");
        assertThat(CommandResolver.argv(image(null, List.of("sh"), List.of()), run(null, List.of(), List.of()))).containsExactly("sh");
    }

    @Test
    void nothingToRunIsAnError() {
        assertThatThrownBy(() -> CommandResolver.argv(image(null, null, List.of()), run(null, List.of(), List.of())))
                .hasMessageStartingWith("no command specified");
        assertThatThrownBy(() -> CommandResolver.argv(image(List.of("/e"), List.of("c"), List.of()), run("", List.of(), List.of())))
                .hasMessageStartingWith("no command specified");
    }

    @Test
    void environmentLayersImageThenFlagsWithDockersDefaults() {
        ImageConfig.Execution image = image(null, List.of("sh"), List.of("A=image", "B=image", "PATH=/custom"));

        List<String> env = CommandResolver.env(image, run(null, List.of(), List.of("B=flag", "C=x=y")), "box", "/home/app");

        assertThat(env).containsExactly("PATH=/custom", "HOSTNAME=box", "A=image", "B=flag", "C=x=y", "HOME=/home/app");
        assertThat(CommandResolver.env(image(null, null, List.of()), run(null, List.of(), List.of()), "h", "/"))
                .contains("PATH=" + CommandResolver.DEFAULT_PATH);
        assertThatThrownBy(() -> CommandResolver.env(image, run(null, List.of(), List.of("=x")), "h", "/"))
                .hasMessageContaining("expected KEY=VALUE");
    }
}
