package dev.berth.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerStateFileTest {

    private static final Instant T0 = Instant.parse("2026-12-07T07:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aLifeIsWrittenAndReadBackWhole() throws Exception {
        ContainerStateFile created = ContainerStateFile.created(T0);
        created.write(dir);
        assertThat(ContainerStateFile.read(dir)).contains(created);
        ContainerStateFile running = created.started(4242, T0.plusSeconds(1));
        running.write(dir);
        assertThat(ContainerStateFile.read(dir)).contains(running);
        ContainerStateFile exited = running.exited(137, T0.plusSeconds(9));
        exited.write(dir);
        assertThat(ContainerStateFile.read(dir)).contains(exited);
        assertThat(exited).isEqualTo(new ContainerStateFile(ContainerState.EXITED, 0, T0, T0.plusSeconds(1), T0.plusSeconds(9), 137));
        assertThat(dir.resolve("state.json.tmp")).doesNotExist();
    }

    @Test
    void noFileIsNoStateAndAGarbledOneIsAOneLineError() throws Exception {
        assertThat(ContainerStateFile.read(dir)).isEmpty();
        Files.writeString(dir.resolve("state.json"), "{\"state\":\"paused\"}");
        assertThatThrownBy(() -> ContainerStateFile.read(dir)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("unreadable container state");
    }

    @Test
    void impossibleMovesAreRefused() {
        ContainerStateFile exited = ContainerStateFile.created(T0).exited(1, T0);
        assertThatThrownBy(() -> exited.exited(0, T0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> exited.removing().started(1, T0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aStartThatFailsLeavesAnExitedContainerExitedWithTheNewCodeAndIsRefusedForARunningOne() {
        ContainerStateFile ran = ContainerStateFile.created(T0).started(7, T0).exited(0, T0.plusSeconds(1));

        ContainerStateFile failed = ran.startFailed(1, T0.plusSeconds(5));

        assertThat(failed).isEqualTo(new ContainerStateFile(ContainerState.EXITED, 0, T0, T0, T0.plusSeconds(5), 1));
        assertThat(ContainerStateFile.created(T0).startFailed(1, T0).state()).isEqualTo(ContainerState.EXITED);
        assertThatThrownBy(() -> ContainerStateFile.created(T0).started(7, T0).startFailed(1, T0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void restartsByThePolicyAreCountedAndKeptAndAStartByHandBeginsTheCountAgain() throws Exception {
        ContainerStateFile once = ContainerStateFile.created(T0).started(7, T0).exitedToRestart(3, T0.plusSeconds(1));
        assertThat(once.restarting()).isTrue();
        assertThat(once.exitCode()).isEqualTo(3);
        ContainerStateFile again = once.restarted(8, T0.plusSeconds(2));
        assertThat(again.restartCount()).isEqualTo(1);
        assertThat(again.restarting()).isFalse();
        ContainerStateFile exited = again.exited(3, T0.plusSeconds(3));
        exited.write(dir);
        assertThat(ContainerStateFile.read(dir)).contains(exited);
        assertThat(exited.restartCount()).isEqualTo(1);
        assertThat(exited.started(9, T0.plusSeconds(4)).restartCount()).isZero();
        assertThatThrownBy(() -> exited.restarted(9, T0)).isInstanceOf(IllegalStateException.class);
        assertThat(once.notRestarting().restarting()).isFalse();
        // A state written before restarts were kept reads as never restarted.
        Files.writeString(dir.resolve(ContainerStateFile.FILE),
                "{\"state\":\"exited\",\"pid\":0,\"created\":\"2026-12-07T07:00:00Z\",\"exitCode\":1}");
        assertThat(ContainerStateFile.read(dir).orElseThrow().restartCount()).isZero();
    }

    @Test
    void aRunningContainerTheRuntimeNoLongerRunsExitedWithAnUnknownCode() {
        ContainerStateFile running = ContainerStateFile.created(T0).started(99, T0);
        Instant later = T0.plusSeconds(60);
        assertThat(running.reconciled(Optional.of("running"), later)).isEqualTo(running);
        for (Optional<String> gone : java.util.List.of(Optional.of("stopped"), Optional.<String>empty())) {
            ContainerStateFile r = running.reconciled(gone, later);
            assertThat(r.state()).isEqualTo(ContainerState.EXITED);
            assertThat(r.exitCode()).isNull();
            assertThat(r.finished()).isEqualTo(later);
            assertThat(ContainerStatus.status(r.state(), r.exitCode(), r.finished(), later.plusSeconds(2)))
                    .isEqualTo("Exited (unknown) 2 seconds ago");
        }
        ContainerStateFile exited = running.exited(0, T0);
        assertThat(exited.reconciled(Optional.empty(), later)).isEqualTo(exited);
    }
}
