package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The scope grammar of Docker token auth, and the grants a token's access claim makes. */
class ScopeTest {

    @Test
    void parsesTypeNameAndActionsWhereTheNameMayHoldAColon() {
        assertThat(Scope.parse("repository:team/app:pull,push"))
                .isEqualTo(new Scope("repository", "team/app", Set.of("pull", "push")));
        assertThat(Scope.parse("repository:localhost:5000/team/app:pull"))
                .isEqualTo(new Scope("repository", "localhost:5000/team/app", Set.of("pull")));
        assertThat(Scope.parse("repository(plugin):team/app:pull").type()).isEqualTo("repository");
        assertThat(Scope.parse("registry:catalog:*")).isEqualTo(Scope.catalog());
        assertThat(Scope.parse("repository:team/app:push,pull").toString()).isEqualTo("repository:team/app:pull,push");
    }

    @Test
    void malformedScopesAreLeftOut() {
        assertThat(Scope.parse("repository")).isNull();
        assertThat(Scope.parse("repository:team/app")).isNull();
        assertThat(Scope.parse("repository:team/app:")).isNull();
        assertThat(Scope.parse(":team/app:pull")).isNull();
        assertThat(Scope.parse("repository:team/app:,")).isNull();
        assertThat(Scope.parseAll(List.of("repository:a/b:pull  repository:c/d:push", "junk", "")))
                .extracting(Scope::name).containsExactly("a/b", "c/d");
    }

    @Test
    void grantsKnowOnlyKnownTypesAndActions() {
        Grants grants = Grants.of(List.of(new Scope("repository", "a/b", Set.of("pull", "*", "launch")),
                new Scope("repository", "a/b", Set.of("delete")), new Scope("registry", "catalog", Set.of("pull")),
                new Scope("repository", "c/d", Set.of("nothing-known"))));
        assertThat(grants.on("a/b")).containsExactlyInAnyOrder(Action.PULL, Action.DELETE);
        assertThat(grants.repositories()).containsOnlyKeys("a/b");
        assertThat(grants.catalog()).as("only registry:catalog:* is the catalog").isFalse();
        assertThat(grants.allows("a/b", Action.PUSH)).isFalse();
        assertThat(grants.allows("a/bc", Action.PULL)).isFalse();
    }
}
