package dev.berth.registry.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.RepositoryName;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Namespaces, members, repository visibility and the audit log on a migrated H2, as registry.auth keeps them. */
class NamespaceRowsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T01:00:00Z");

    private final JdbcTemplate jdbc = MetadataDatabase.migrated();
    private final NamespaceRows namespaces = new NamespaceRows(jdbc);
    private final AccountRows accounts = new AccountRows(jdbc);
    private final AuditRows audit = new AuditRows(jdbc);

    @Test
    void aNamespaceReadsBackAndItsNameIsTakenOnce() {
        namespaces.insert("team", "ORGANIZATION", "PUBLIC", T0);

        assertThat(namespaces.byName("team")).contains(new NamespaceRows.Row("team", "ORGANIZATION", "PUBLIC", T0));
        assertThat(namespaces.byName("other")).isEmpty();
        assertThatThrownBy(() -> namespaces.insert("team", "USER", "PRIVATE", T0)).isInstanceOf(DuplicateKeyException.class);

        namespaces.setDefaultVisibility("team", "PRIVATE");
        assertThat(namespaces.byName("team").orElseThrow().defaultVisibility()).isEqualTo("PRIVATE");
    }

    @Test
    void organizationsAreAllOrThoseAUserBelongsTo() {
        long alice = accounts.insert("alice", "h", false, null, T0);
        namespaces.insert("alice", "USER", "PRIVATE", T0);
        namespaces.setMember("alice", alice, "ADMIN");
        namespaces.insert("zeta", "ORGANIZATION", "PRIVATE", T0);
        namespaces.insert("beta", "ORGANIZATION", "PRIVATE", T0);
        namespaces.setMember("zeta", alice, "WRITE");

        assertThat(namespaces.all()).extracting(NamespaceRows.Row::name).containsExactly("alice", "beta", "zeta");
        assertThat(namespaces.organizations(null)).extracting(NamespaceRows.Row::name).containsExactly("beta", "zeta");
        assertThat(namespaces.organizations(alice)).extracting(NamespaceRows.Row::name).containsExactly("zeta");
    }

    @Test
    void setMemberAddsThenChangesTheRole() {
        long alice = accounts.insert("alice", "h", false, null, T0);
        namespaces.insert("team", "ORGANIZATION", "PRIVATE", T0);
        long robot = accounts.insert("team+ci", null, false, "team", T0);

        namespaces.setMember("team", alice, "READ");
        namespaces.setMember("team", alice, "ADMIN");
        namespaces.setMember("team", robot, "WRITE");

        assertThat(namespaces.members("team")).containsExactly(new NamespaceRows.MemberRow(alice, "alice", "ADMIN", false),
                new NamespaceRows.MemberRow(robot, "team+ci", "WRITE", true));
        assertThat(namespaces.roleOf(alice, "team")).contains("ADMIN");
        assertThat(namespaces.roleOf(alice, "other")).isEmpty();
        assertThat(namespaces.rolesOf(alice)).isEqualTo(Map.of("team", "ADMIN"));
        assertThat(namespaces.countWithRole("team", "ADMIN")).isEqualTo(1);
        assertThat(namespaces.countWithRole("team", "READ")).isZero();

        assertThat(namespaces.removeMember("team", alice)).isTrue();
        assertThat(namespaces.removeMember("team", alice)).isFalse();
        assertThat(namespaces.countWithRole("team", "ADMIN")).isZero();
    }

    @Test
    void deletingAnOrganizationDeletesItsMembershipsAndRobots() {
        long alice = accounts.insert("alice", "h", false, null, T0);
        namespaces.insert("team", "ORGANIZATION", "PRIVATE", T0);
        namespaces.setMember("team", alice, "ADMIN");
        accounts.insert("team+ci", null, false, "team", T0);

        namespaces.delete("team");

        assertThat(namespaces.byName("team")).isEmpty();
        assertThat(namespaces.rolesOf(alice)).isEmpty();
        assertThat(accounts.byUsername("team+ci")).isEmpty();
        assertThat(accounts.byUsername("alice")).isPresent();
    }

    @Test
    void deletePersonalLeavesAnOrganizationAlone() {
        namespaces.insert("team", "ORGANIZATION", "PRIVATE", T0);
        namespaces.insert("alice", "USER", "PRIVATE", T0);

        namespaces.deletePersonal("team");
        namespaces.deletePersonal("alice");

        assertThat(namespaces.all()).extracting(NamespaceRows.Row::name).containsExactly("team");
    }

    @Test
    void aRepositorysOwnVisibilityIsSetThenChanged() {
        assertThat(namespaces.repositoryVisibility("team/app")).isEmpty();
        namespaces.setRepositoryVisibility("team/app", "PUBLIC");
        namespaces.setRepositoryVisibility("team/app", "PRIVATE");
        assertThat(namespaces.repositoryVisibility("team/app")).contains("PRIVATE");
        assertThat(namespaces.repositoryVisibility("team/other")).isEmpty();
    }

    @Test
    void aRepositoryExistsOnceCreatedEvenEmpty() {
        assertThat(namespaces.repositoryExists("team/app")).isFalse();
        new BlobRecords(jdbc).insertRepository(RepositoryName.of("team/app"), T0);
        assertThat(namespaces.repositoryExists("team/app")).isTrue();
        assertThat(namespaces.repositoryExists("team/ap")).isFalse();
    }

    @Test
    void auditEventsComeNewestFirstAPageAtATime() {
        audit.insert(T0, "alice", "user.create", "user bob", "10.0.0.1", null);
        audit.insert(T0.plusSeconds(1), "bob", "token.create", "token ci", null, "pull");
        audit.insert(T0.plusSeconds(2), "alice", "user.delete", "user bob", "10.0.0.1", null);

        var newest = audit.newest(null, 2);
        assertThat(newest).extracting(AuditRows.Row::action).containsExactly("user.delete", "token.create");
        assertThat(newest.get(1)).isEqualTo(new AuditRows.Row(newest.get(1).id(), T0.plusSeconds(1), "bob", "token.create",
                "token ci", null, "pull"));
        assertThat(audit.newest(newest.get(1).id(), 2)).extracting(AuditRows.Row::action).containsExactly("user.create");
    }

    @Test
    void publicOrInHoldsForOwnVisibilityThenTheNamespaceDefaultThenTheFallbackAndForTheGivenNamespaces() {
        namespaces.insert("open", "ORGANIZATION", "PUBLIC", T0);
        namespaces.insert("closed", "ORGANIZATION", "PRIVATE", T0);
        for (String name : List.of("open/a", "open/hidden", "closed/b", "closed/shown", "unowned/c", "mine/d", "top")) {
            new BlobRecords(jdbc).insertRepository(RepositoryName.of(name), T0);
        }
        namespaces.setRepositoryVisibility("open/hidden", "PRIVATE");
        namespaces.setRepositoryVisibility("closed/shown", "PUBLIC");

        assertThat(pullable(NamespaceRows.publicOrIn("r.name", "PRIVATE", List.of())))
                .containsExactly("closed/shown", "open/a");
        assertThat(pullable(NamespaceRows.publicOrIn("r.name", "PUBLIC", List.of())))
                .containsExactly("closed/shown", "mine/d", "open/a", "top", "unowned/c");
        assertThat(pullable(NamespaceRows.publicOrIn("r.name", "PRIVATE", List.of("mine", "top"))))
                .containsExactly("closed/shown", "mine/d", "open/a", "top");
        assertThat(pullable(NamespaceRows.EVERY_REPOSITORY)).hasSize(7);
        assertThat(pullable(NamespaceRows.NO_REPOSITORY)).isEmpty();
    }

    private List<String> pullable(NamespaceRows.Condition condition) {
        return new NamedParameterJdbcTemplate(jdbc).queryForList(
                "select r.name from repositories r where " + condition.sql() + " order by r.name", condition.params(), String.class);
    }
}
