package dev.berth.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameAndTagTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "library/busybox", "team/app", "a.b_c__d-e---f/g0", "x/y/z/w", "0", "my-org/my.repo"})
    void acceptsNamesOfTheGrammar(String name) {
        assertThat(RepositoryName.of(name).value()).isEqualTo(name);
        assertThat(RepositoryName.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "A", "Team/app", "a//b", "/a", "a/", "..", "a/../b", "../etc", "a/./b", ".a", "a.", "a___b",
            "a_-b", "a b", "a%2e%2e", "a\\b", "a:b"})
    void refusesNamesOutsideTheGrammar(String name) {
        assertThatThrownBy(() -> RepositoryName.of(name))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.NAME_INVALID));
    }

    @org.junit.jupiter.api.Test
    void refusesNamesLongerThan255Characters() {
        String longest = "a".repeat(255);
        assertThat(RepositoryName.isValid(longest)).isTrue();
        assertThat(RepositoryName.isValid(longest + "a")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "1.36", "v1.0.0-rc.1", "_x", "A_B-c.d", "sha256-abc"})
    void acceptsTagsOfTheGrammar(String tag) {
        assertThat(Tag.isValid(tag)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".x", "-x", "a/b", "a:b", "a b", "ü"})
    void refusesTagsOutsideTheGrammar(String tag) {
        assertThatThrownBy(() -> Tag.of(tag))
                .isInstanceOfSatisfying(OciException.class, e -> assertThat(e.code()).isEqualTo(OciErrorCode.TAG_INVALID));
    }

    @org.junit.jupiter.api.Test
    void tagsAreAtMost128Characters() {
        assertThat(Tag.isValid("a".repeat(128))).isTrue();
        assertThat(Tag.isValid("a".repeat(129))).isFalse();
    }
}
