package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SignalsTest {

    @Test
    void namesInAnyCaseWithOrWithoutSigAndNumbersAreTakenAsDockerTakesThem() {
        assertThat(Signals.parse("KILL")).isEqualTo("SIGKILL");
        assertThat(Signals.parse("sigterm")).isEqualTo("SIGTERM");
        assertThat(Signals.parse("usr1")).isEqualTo("SIGUSR1");
        assertThat(Signals.parse("RTMIN+3")).isEqualTo("SIGRTMIN+3");
        assertThat(Signals.parse("9")).isEqualTo("9");
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : new String[] {"", "0", "65", "-9", "KILL;rm", "SIG", "--all", "NOPE"}) {
            assertThatThrownBy(() -> Signals.parse(bad)).as(bad).hasMessage("invalid signal: " + bad);
        }
    }
}
