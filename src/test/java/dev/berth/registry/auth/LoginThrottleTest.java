package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final LoginThrottle throttle = new LoginThrottle(new AuthProperties(AuthMode.TOKEN, "admin", null,
            Visibility.PRIVATE, null, new AuthProperties.LoginThrottle(2, 4, Duration.ofMinutes(5), Duration.ofMillis(200))));

    @Test
    void slowsThenRefusesAnAddressThatKeepsFailing() {
        throttle.beforeAttempt("192.0.2.1");
        throttle.failed("192.0.2.1");
        throttle.failed("192.0.2.1");
        long start = System.nanoTime();
        throttle.beforeAttempt("192.0.2.1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("slowed").isGreaterThanOrEqualTo(Duration.ofMillis(190));
        throttle.failed("192.0.2.1");
        throttle.failed("192.0.2.1");
        assertThatThrownBy(() -> throttle.beforeAttempt("192.0.2.1"))
                .isInstanceOf(LoginThrottle.TooManyFailures.class)
                .satisfies(e -> assertThat(((LoginThrottle.TooManyFailures) e).retryAfter())
                        .isBetween(Duration.ofSeconds(1), Duration.ofMinutes(6)));
        assertThat(throttle.refusedFor("192.0.2.1")).as("the sign-in page asks without trying")
                .hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(6)));
        assertThat(throttle.refusedFor("192.0.2.2")).isEmpty();
        // Other addresses are not affected.
        assertThatCode(() -> throttle.beforeAttempt("192.0.2.2")).doesNotThrowAnyException();
    }

    @Test
    void aSuccessClearsTheCount() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("192.0.2.3");
        }
        throttle.succeeded("192.0.2.3");
        long start = System.nanoTime();
        throttle.beforeAttempt("192.0.2.3");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(150));
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() throws InterruptedException {
        LoginThrottle quick = new LoginThrottle(new AuthProperties(AuthMode.TOKEN, "admin", null, Visibility.PRIVATE,
                null, new AuthProperties.LoginThrottle(1, 2, Duration.ofMillis(100), Duration.ofMillis(1))));
        quick.failed("192.0.2.4");
        quick.failed("192.0.2.4");
        assertThatThrownBy(() -> quick.beforeAttempt("192.0.2.4")).isInstanceOf(LoginThrottle.TooManyFailures.class);
        Thread.sleep(150);
        assertThatCode(() -> quick.beforeAttempt("192.0.2.4")).doesNotThrowAnyException();
    }
}
