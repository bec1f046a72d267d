package dev.berth.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthChallengeTest {

    @Test
    void readsABearerChallenge() {
        AuthChallenge c = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\"")
                .orElseThrow();

        assertThat(c.isBearer()).isTrue();
        assertThat(c.param("realm")).isEqualTo("https://auth.docker.io/token");
        assertThat(c.param("service")).isEqualTo("registry.docker.io");
        assertThat(c.param("scope")).isEqualTo("repository:library/busybox:pull");
    }

    @Test
    void readsBareTokensEscapesAndSpacesAfterCommas() {
        AuthChallenge c = AuthChallenge.parse("basic Realm=berth, charset=\"UTF-8\", x=\"a\\\"b,c\"").orElseThrow();

        assertThat(c.isBasic()).isTrue();
        assertThat(c.param("realm")).isEqualTo("berth");
        assertThat(c.param("charset")).isEqualTo("UTF-8");
        assertThat(c.param("x")).isEqualTo("a\"b,c");
    }

    @Test
    void noHeaderIsNoChallenge() {
        assertThat(AuthChallenge.parse(null)).isEmpty();
        assertThat(AuthChallenge.parse("  ")).isEmpty();
        assertThat(AuthChallenge.parse("Negotiate").orElseThrow().params()).isEmpty();
    }
}
