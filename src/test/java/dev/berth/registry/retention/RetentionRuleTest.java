package dev.berth.registry.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of berth.retention as the start reads them: a rule that cannot be used stops it, naming the rule. */
class RetentionRuleTest {

    private static List<RetentionRule> compile(RetentionSettings.Rule... rules) {
        return Retention.compile(List.of(rules));
    }

    @Test
    void aRuleWithNeitherKeepLastNorOlderThanIsRefused() {
        assertThatThrownBy(() -> compile(new RetentionSettings.Rule("ci/**", 3, null, null),
                new RetentionSettings.Rule("ci/**", null, "v.*", null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("berth.retention[1] needs keep-last or older-than: with neither it would remove every tag"
                        + " keep-tags does not match");
    }

    @Test
    void unreadableSettingsAreRefusedByName() {
        assertThatThrownBy(() -> compile(new RetentionSettings.Rule("ci/**", 1, "v[0-9", null)))
                .hasMessage("berth.retention[0].keep-tags is not a regular expression: Unclosed character class in v[0-9");
        assertThatThrownBy(() -> compile(new RetentionSettings.Rule(" ", 1, null, null)))
                .hasMessageStartingWith("berth.retention[0].repositories is missing");
        assertThatThrownBy(() -> compile(new RetentionSettings.Rule("ci/**", -1, null, null)))
                .hasMessage("berth.retention[0].keep-last is negative: -1");
        assertThatThrownBy(() -> compile(new RetentionSettings.Rule("ci/**", null, null, Duration.ofHours(-1))))
                .hasMessage("berth.retention[0].older-than is negative: PT-1H");
    }

    @Test
    void aRuleIsNamedWithWhatItSays() {
        assertThat(compile(new RetentionSettings.Rule("ci/**", 10, "v.*", Duration.ofDays(30))))
                .extracting(RetentionRule::toString)
                .containsExactly("berth.retention[0] (repositories ci/**, keep-last 10, keep-tags v.*, older-than PT720H)");
    }
}
