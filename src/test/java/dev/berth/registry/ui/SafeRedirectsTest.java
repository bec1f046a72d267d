package dev.berth.registry.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeRedirectsTest {

    @Test
    void onlyPathsOfThisSitePass() {
        assertThat(SafeRedirects.sameSitePath("/r/team/app?q=1")).isEqualTo("/r/team/app?q=1");
        assertThat(SafeRedirects.sameSitePath("/account")).isEqualTo("/account");
        for (String elsewhere : new String[] {"https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil.example",
                "http:evil.example", "javascript:alert(1)", "evil.example", "/ /evil", "/\t/evil.example", "", null}) {
            assertThat(SafeRedirects.sameSitePath(elsewhere)).as(String.valueOf(elsewhere)).isNull();
        }
    }

    @Test
    void signingInAgainIsNotWhereOneGoesAfterSigningIn() {
        assertThat(SafeRedirects.sameSitePath("/login?error")).isEqualTo("/");
        assertThat(SafeRedirects.sameSitePath("/logout")).isEqualTo("/");
    }
}
