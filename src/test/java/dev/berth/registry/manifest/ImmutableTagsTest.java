package dev.berth.registry.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.RepositoryName;
import dev.berth.oci.Tag;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which repositories and tags the berth.immutable-tags rules cover, and the rules that cannot be read. */
class ImmutableTagsTest {

    private static ImmutableTags rules(String... repositoriesAndTags) {
        List<ImmutableTagSettings.Rule> rules = new java.util.ArrayList<>();
        for (int i = 0; i < repositoriesAndTags.length; i += 2) {
            rules.add(new ImmutableTagSettings.Rule(repositoriesAndTags[i], repositoriesAndTags[i + 1]));
        }
        return new ImmutableTags(new ImmutableTagSettings(rules), null, null, null);
    }

    private static boolean glob(String glob, String repository) {
        return RepositoryGlob.of(glob).matches(RepositoryName.of(repository));
    }

    @Test
    void aSingleStarStaysInsideOnePathComponent() {
        assertThat(glob("team/*", "team/app")).isTrue();
        assertThat(glob("team/*", "team/app/web")).isFalse();
        assertThat(glob("team/*", "team")).isFalse();
        assertThat(glob("*/app", "team/app")).isTrue();
        assertThat(glob("*/app", "a/b/app")).isFalse();
        assertThat(glob("team/app-*", "team/app-web")).isTrue();
        assertThat(glob("team/app-*", "team/other")).isFalse();
    }

    @Test
    void aDoubleStarCrossesPathComponents() {
        assertThat(glob("team/**", "team/app")).isTrue();
        assertThat(glob("team/**", "team/app/web/api")).isTrue();
        assertThat(glob("team/**", "teams/app")).isFalse();
        assertThat(glob("**/app", "app")).isTrue();
        assertThat(glob("**/app", "a/b/app")).isTrue();
        assertThat(glob("**/app", "a/b/apps")).isFalse();
        assertThat(glob("team/**/app", "team/app")).isTrue();
        assertThat(glob("team/**/app", "team/x/y/app")).isTrue();
        assertThat(glob("**", "anything/at/all")).isTrue();
    }

    @Test
    void aQuestionMarkIsOneCharacterAndEverythingElseIsLiteral() {
        assertThat(glob("team/app?", "team/app1")).isTrue();
        assertThat(glob("team/app?", "team/app")).isFalse();
        assertThat(glob("team?app", "team/app")).isFalse();
        // Regular expression characters in a glob are plain characters.
        assertThat(glob("team/a.b", "team/a.b")).isTrue();
        assertThat(glob("team/a.b", "team/axb")).isFalse();
        assertThat(glob("team/app", "team/app")).isTrue();
        assertThat(glob("team/app", "team/app/web")).isFalse();
    }

    @Test
    void theTagPatternMustMatchTheWholeTag() {
        ImmutableTags tags = rules("prod/**", "v[0-9]+\\.[0-9]+\\.[0-9]+");

        assertThat(tags.ruleFor(RepositoryName.of("prod/app"), Tag.of("v1.2.3"))).isPresent();
        assertThat(tags.ruleFor(RepositoryName.of("prod/app"), Tag.of("v1.2.3-rc1"))).isEmpty();
        assertThat(tags.ruleFor(RepositoryName.of("prod/app"), Tag.of("xv1.2.3"))).isEmpty();
        assertThat(tags.ruleFor(RepositoryName.of("prod/app"), Tag.of("latest"))).isEmpty();
        assertThat(tags.ruleFor(RepositoryName.of("dev/app"), Tag.of("v1.2.3"))).isEmpty();
    }

    @Test
    void theFirstMatchingRuleIsNamedByItsIndex() {
        ImmutableTags tags = rules("dev/*", "release-.*", "**", "v.*", "prod/*", "v1");

        assertThat(tags.ruleFor(RepositoryName.of("prod/app"), Tag.of("v1")).orElseThrow())
                .hasToString("berth.immutable-tags[1] (repositories **, tags v.*)");
        assertThat(tags.ruleFor(RepositoryName.of("dev/app"), Tag.of("release-7")).orElseThrow().name())
                .isEqualTo("berth.immutable-tags[0]");
        assertThat(tags.ruleFor(RepositoryName.of("dev/app"), Tag.of("latest"))).isEmpty();
    }

    @Test
    void noRulesCoverNothing() {
        assertThat(rules().ruleFor(RepositoryName.of("app"), Tag.of("latest"))).isEmpty();
        assertThat(new ImmutableTagSettings(null).immutableTags()).isEmpty();
    }

    @Test
    void aRuleThatCannotBeReadStopsTheStart() {
        assertThatThrownBy(() -> rules("prod/*", "v[0-9"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("berth.immutable-tags[0].tags is not a regular expression: ")
                .hasMessageEndingWith(" in v[0-9");
        assertThatThrownBy(() -> rules("prod/*", "v.*", " ", "v.*"))
                .hasMessage("berth.immutable-tags[1].repositories is missing: a glob of repository names, such as team/**");
        assertThatThrownBy(() -> rules("prod/*", null))
                .hasMessage("berth.immutable-tags[0].tags is missing: a regular expression of tags, such as v[0-9].*");
    }
}
