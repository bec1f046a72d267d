package dev.berth.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerStatusTest {

    private static final Instant NOW = Instant.parse("2026-12-07T07:00:00Z");

    @Test
    void statusColumnsReadAsDockersDo() {
        assertThat(ContainerStatus.status(ContainerState.RUNNING, null, NOW.minusSeconds(3), NOW)).isEqualTo("Up 3 seconds");
        assertThat(ContainerStatus.status(ContainerState.EXITED, 0, NOW.minusSeconds(5), NOW)).isEqualTo("Exited (0) 5 seconds ago");
        assertThat(ContainerStatus.status(ContainerState.EXITED, 137, NOW.minus(Duration.ofMinutes(7)), NOW))
                .isEqualTo("Exited (137) 7 minutes ago");
        assertThat(ContainerStatus.status(ContainerState.EXITED, null, NOW.minusSeconds(1), NOW)).isEqualTo("Exited (unknown) 1 second ago");
        assertThat(ContainerStatus.status(ContainerState.CREATED, null, NOW, NOW)).isEqualTo("Created");
        assertThat(ContainerStatus.status(ContainerState.REMOVING, null, NOW, NOW)).isEqualTo("Removal In Progress");
        assertThat(ContainerStatus.created(NOW.minus(Duration.ofHours(3)), NOW)).isEqualTo("3 hours ago");
        assertThat(ContainerStatus.restarting(3, NOW.minusSeconds(2), NOW)).isEqualTo("Restarting (3) 2 seconds ago");
    }

    @Test
    void durationsFollowGoUnitsHumanDuration() {
        assertThat(human(Duration.ofMillis(999))).isEqualTo("Less than a second");
        assertThat(human(Duration.ofSeconds(-4))).isEqualTo("Less than a second");
        assertThat(human(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(human(Duration.ofSeconds(59))).isEqualTo("59 seconds");
        assertThat(human(Duration.ofSeconds(60))).isEqualTo("About a minute");
        assertThat(human(Duration.ofSeconds(119))).isEqualTo("About a minute");
        assertThat(human(Duration.ofMinutes(2))).isEqualTo("2 minutes");
        assertThat(human(Duration.ofMinutes(59))).isEqualTo("59 minutes");
        assertThat(human(Duration.ofMinutes(60))).isEqualTo("About an hour");
        assertThat(human(Duration.ofMinutes(89))).isEqualTo("About an hour");
        assertThat(human(Duration.ofMinutes(90))).isEqualTo("2 hours"); // hours are rounded
        assertThat(human(Duration.ofHours(47))).isEqualTo("47 hours");
        assertThat(human(Duration.ofHours(48))).isEqualTo("2 days");
        assertThat(human(Duration.ofDays(13))).isEqualTo("13 days");
        assertThat(human(Duration.ofDays(14))).isEqualTo("2 weeks");
        assertThat(human(Duration.ofDays(60))).isEqualTo("2 months");
        assertThat(human(Duration.ofDays(729))).isEqualTo("24 months");
        assertThat(human(Duration.ofDays(730))).isEqualTo("2 years");
    }

    private static String human(Duration d) {
        return ContainerStatus.humanDuration(d);
    }
}
