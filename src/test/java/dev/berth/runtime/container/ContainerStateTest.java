package dev.berth.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContainerStateTest {

    @Test
    void aContainerIsCreatedRunsExitsRestartsAndIsRemoved() {
        ContainerState s = ContainerState.CREATED.next(ContainerState.RUNNING).next(ContainerState.EXITED)
                .next(ContainerState.RUNNING).next(ContainerState.EXITED).next(ContainerState.REMOVING);
        assertThat(s).isEqualTo(ContainerState.REMOVING);
    }

    @Test
    void aStartThatFailsExitsFromCreatedAndRmFRemovesARunningOne() {
        assertThat(ContainerState.CREATED.next(ContainerState.EXITED)).isEqualTo(ContainerState.EXITED);
        assertThat(ContainerState.RUNNING.next(ContainerState.REMOVING)).isEqualTo(ContainerState.REMOVING);
    }

    @Test
    void impossibleMovesAreRefusedInOneLine() {
        assertThatThrownBy(() -> ContainerState.EXITED.next(ContainerState.CREATED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a container that is exited cannot become created");
        assertThatThrownBy(() -> ContainerState.RUNNING.next(ContainerState.RUNNING)).isInstanceOf(IllegalStateException.class);
        for (ContainerState wanted : ContainerState.values()) {
            assertThatThrownBy(() -> ContainerState.REMOVING.next(wanted)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void labelsAreDockersAndParseBack() {
        for (ContainerState s : ContainerState.values()) {
            assertThat(ContainerState.parse(s.label())).isEqualTo(s);
        }
        assertThat(ContainerState.RUNNING.label()).isEqualTo("running");
        assertThatThrownBy(() -> ContainerState.parse("paused")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown container state paused");
    }
}
