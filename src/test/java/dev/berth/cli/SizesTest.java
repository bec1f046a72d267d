package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void sizesAreDecimalWithThreeSignificantDigitsLikeDocker() {
        assertThat(Sizes.human(0)).isEqualTo("0B");
        assertThat(Sizes.human(999)).isEqualTo("999B");
        assertThat(Sizes.human(4_261_000)).isEqualTo("4.26MB");
        assertThat(Sizes.human(1_000_000)).isEqualTo("1MB");
        assertThat(Sizes.human(77_800_000_000L)).isEqualTo("77.8GB");
    }

    @Test
    void agesReadLikeDockers() {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        assertThat(Sizes.ago(null, now)).isEqualTo("N/A");
        assertThat(Sizes.ago(now.minusSeconds(5), now)).isEqualTo("5 seconds ago");
        assertThat(Sizes.ago(now.minus(Duration.ofHours(1)), now)).isEqualTo("An hour ago");
        assertThat(Sizes.ago(now.minus(Duration.ofDays(3)), now)).isEqualTo("3 days ago");
        assertThat(Sizes.ago(now.minus(Duration.ofDays(400)), now)).isEqualTo("13 months ago");
        assertThat(Sizes.ago(now.minus(Duration.ofDays(800)), now)).isEqualTo("2 years ago");
    }
}
