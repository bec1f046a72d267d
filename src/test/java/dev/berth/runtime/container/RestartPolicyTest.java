package dev.berth.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    @Test
    void dockersFormsParseAndPrintBack() {
        for (String form : new String[] {"no", "always", "on-failure", "on-failure:2", "on-failure:0"}) {
            RestartPolicy p = RestartPolicy.parse(form);
            assertThat(p.toString()).isEqualTo(form.equals("on-failure:0") ? "on-failure" : form);
            assertThat(RestartPolicy.parse(p.toString())).isEqualTo(p);
        }
        assertThat(RestartPolicy.parse(null)).isEqualTo(RestartPolicy.NO);
        assertThat(RestartPolicy.parse("on-failure:2")).isEqualTo(new RestartPolicy(RestartPolicy.Name.ON_FAILURE, 2));
    }

    @Test
    void anythingElseIsOneLine() {
        assertThatThrownBy(() -> RestartPolicy.parse("sometimes"))
                .hasMessage("invalid restart policy sometimes: expected no, on-failure[:N] or always");
        assertThatThrownBy(() -> RestartPolicy.parse("always:3"))
                .hasMessage("invalid restart policy always:3: maximum retry count can only be used with on-failure");
        for (String bad : new String[] {"on-failure:-1", "on-failure:", "on-failure:x", "on-failure:9999999999", "ALWAYS"}) {
            assertThatThrownBy(() -> RestartPolicy.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void onFailureRestartsNonZeroExitsUpToItsMaximum() {
        RestartPolicy two = RestartPolicy.parse("on-failure:2");
        assertThat(two.restarts(3, 0)).isTrue();
        assertThat(two.restarts(3, 1)).isTrue();
        assertThat(two.restarts(3, 2)).isFalse();
        assertThat(two.restarts(0, 0)).isFalse();
        assertThat(RestartPolicy.parse("on-failure").restarts(1, 1000)).isTrue();
        assertThat(RestartPolicy.parse("always").restarts(0, 1000)).isTrue();
        assertThat(RestartPolicy.NO.restarts(1, 0)).isFalse();
    }

    @Test
    void theDelayDoublesUpToTenSeconds() {
        assertThat(RestartPolicy.delay(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(RestartPolicy.delay(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(RestartPolicy.delay(6)).isEqualTo(Duration.ofMillis(6400));
        assertThat(RestartPolicy.delay(7)).isEqualTo(Duration.ofSeconds(10));
        assertThat(RestartPolicy.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(10));
    }
}
