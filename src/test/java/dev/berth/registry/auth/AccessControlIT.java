package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The access-control model on the real database: accounts, tokens, namespaces, roles, visibility, audit. */
class AccessControlIT extends TokenModeIntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void theFirstStartCreatesTheAdministratorWithTheConfiguredPassword() {
        Caller admin = accounts.authenticate("admin", ADMIN_PASSWORD).orElseThrow();
        assertThat(admin.admin()).isTrue();
        assertThat(accounts.authenticate("admin", "not-the-password")).isEmpty();
        assertThat(accounts.authenticate("nobody-here", ADMIN_PASSWORD)).isEmpty();
        assertThat(policy.allowed(admin, "anyone/anything")).containsExactlyInAnyOrder(Action.values());
    }

    @Test
    void aUserActsInTheirOwnNamespaceOnly() {
        String alice = unique("alice");
        String bob = unique("bob");
        accounts.createUser(alice, "alice-password", false);
        accounts.createUser(bob, "bob-password", false);
        Caller a = accounts.authenticate(alice, "alice-password").orElseThrow();

        assertThat(policy.allowed(a, alice + "/app")).containsExactlyInAnyOrder(Action.values());
        assertThat(policy.allowed(a, alice)).containsExactlyInAnyOrder(Action.values());
        assertThat(policy.allowed(a, bob + "/app")).isEmpty();
        assertThat(policy.allowed(Caller.ANONYMOUS, alice + "/app")).isEmpty();
        // The namespace is the first component only: alicefoo/app is not alice's.
        assertThat(policy.allowed(a, alice + "x/app")).isEmpty();
    }

    @Test
    void namesAreCheckedAndNeverShared() {
        String carol = unique("carol");
        accounts.createUser(carol, "carol-password", false);
        long carolId = accounts.find(carol).orElseThrow().id();
        assertThatThrownBy(() -> accounts.createUser(carol, "another-password", false))
                .hasMessageContaining("taken");
        assertThatThrownBy(() -> namespaces.createOrganization(carol, carolId)).hasMessageContaining("taken");
        assertThatThrownBy(() -> accounts.createUser("Upper", "password-1", false)).hasMessageContaining("lower-case");
        assertThatThrownBy(() -> accounts.createUser("a/b", "password-1", false)).hasMessageContaining("lower-case");
        assertThatThrownBy(() -> accounts.createUser(unique("dave"), "short", false)).hasMessageContaining("at least 8");
    }

    @Test
    void organizationRolesGrantPullPushAndDelete() {
        String owner = unique("owner");
        String reader = unique("reader");
        String writer = unique("writer");
        String org = unique("org");
        long ownerId = accounts.createUser(owner, "owner-password", false).id();
        long readerId = accounts.createUser(reader, "reader-password", false).id();
        long writerId = accounts.createUser(writer, "writer-password", false).id();
        namespaces.createOrganization(org, ownerId);
        namespaces.setMember(org, readerId, Role.READ);
        namespaces.setMember(org, writerId, Role.WRITE);

        String repo = org + "/service";
        assertThat(policy.allowed(caller(owner, "owner-password"), repo)).containsExactlyInAnyOrder(Action.values());
        assertThat(policy.allowed(caller(writer, "writer-password"), repo)).containsExactlyInAnyOrder(Action.PULL, Action.PUSH);
        assertThat(policy.allowed(caller(reader, "reader-password"), repo)).containsExactly(Action.PULL);

        assertThatThrownBy(() -> namespaces.removeMember(org, ownerId)).hasMessageContaining("no administrator");
        assertThatThrownBy(() -> namespaces.setMember(org, ownerId, Role.READ)).hasMessageContaining("no administrator");
        assertThat(namespaces.roleOf(ownerId, org)).contains(Role.ADMIN);

        namespaces.removeMember(org, readerId);
        assertThat(policy.allowed(caller(reader, "reader-password"), repo)).isEmpty();
        assertThat(namespaces.members(org)).extracting(Member::username).containsExactlyInAnyOrder(owner, writer);
    }

    @Test
    void anonymousPullsOnlyPublicRepositoriesThatExist() {
        String owner = unique("pub");
        accounts.createUser(owner, "owner-password", false);
        String shown = owner + "/shown";
        String hidden = owner + "/hidden";
        createRepository(shown);
        createRepository(hidden);
        namespaces.setDefaultVisibility(owner, Visibility.PUBLIC);
        namespaces.setVisibility(hidden, Visibility.PRIVATE);

        assertThat(policy.allowed(Caller.ANONYMOUS, shown)).containsExactly(Action.PULL);
        assertThat(policy.allowed(Caller.ANONYMOUS, hidden)).isEmpty();
        // A missing repository in a public namespace answers like a private one.
        assertThat(policy.allowed(Caller.ANONYMOUS, owner + "/missing")).isEmpty();
        assertThat(namespaces.visibility(shown)).isEqualTo(Visibility.PUBLIC);
        assertThat(namespaces.visibility(hidden)).isEqualTo(Visibility.PRIVATE);
        assertThat(namespaces.visibility("no-such-namespace/x")).isEqualTo(Visibility.PRIVATE);
    }

    @Test
    void accessTokensSignInWithTheirScopesUntilRevokedOrExpired() {
        String erin = unique("erin");
        long erinId = accounts.createUser(erin, "erin-password", false).id();
        AccessTokens.Issued pullOnly = tokens.create(erinId, "ci pull", EnumSet.of(Action.PULL), null);
        assertThat(pullOnly.secret()).startsWith("berth_pat_").hasSizeGreaterThan(50);

        Caller viaToken = accounts.authenticate(erin, pullOnly.secret()).orElseThrow();
        assertThat(policy.allowed(viaToken, erin + "/app")).containsExactly(Action.PULL);
        // The token belongs to erin: another name with it is refused.
        assertThat(accounts.authenticate("admin", pullOnly.secret())).isEmpty();
        assertThat(tokens.list(erinId)).extracting(AccessToken::name).containsExactly("ci pull");
        assertThat(jdbc.sql("select count(*) from access_tokens where secret_hash like :s")
                .param("s", "%" + pullOnly.secret().substring(10) + "%").query(Long.class).single())
                .as("the secret itself is not stored").isZero();

        assertThat(tokens.revoke(erinId, pullOnly.token().id())).isTrue();
        assertThat(accounts.authenticate(erin, pullOnly.secret())).as("revoked at once, remembered sign-ins forgotten").isEmpty();
        assertThat(tokens.revoke(erinId, pullOnly.token().id())).isFalse();

        AccessTokens.Issued expiring = tokens.create(erinId, "short", EnumSet.of(Action.PUSH, Action.PULL),
                Instant.now().plus(1, ChronoUnit.DAYS));
        assertThat(accounts.authenticate(erin, expiring.secret())).isPresent();
        jdbc.sql("update access_tokens set expires_at = :past where id = :id")
                .param("past", OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1)).param("id", expiring.token().id()).update();
        accounts.forgetSignIns();
        assertThat(accounts.authenticate(erin, expiring.secret())).as("expired").isEmpty();

        assertThatThrownBy(() -> tokens.create(erinId, "none", Set.of(), null)).hasMessageContaining("scope");
        assertThatThrownBy(() -> tokens.create(erinId, "past", EnumSet.of(Action.PULL), Instant.now().minusSeconds(5)))
                .hasMessageContaining("future");
    }

    @Test
    void disabledAccountsAndChangedPasswordsStopSigningIn() {
        String frank = unique("frank");
        long id = accounts.createUser(frank, "frank-password", false).id();
        assertThat(accounts.authenticate(frank, "frank-password")).isPresent();
        accounts.setPassword(id, "frank-new-password");
        assertThat(accounts.authenticate(frank, "frank-password")).isEmpty();
        assertThat(accounts.authenticate(frank, "frank-new-password")).isPresent();
        accounts.setDisabled(id, true);
        assertThat(accounts.authenticate(frank, "frank-new-password")).isEmpty();
        assertThat(accounts.current(id)).isEmpty();
    }

    @Test
    void robotAccountsActWithTheirRoleThroughTokens() {
        String owner = unique("robo");
        String org = unique("robots");
        long ownerId = accounts.createUser(owner, "owner-password", false).id();
        namespaces.createOrganization(org, ownerId);
        Account robot = accounts.createRobot(org, "ci", Role.WRITE);
        assertThat(robot.username()).isEqualTo(org + "+ci");
        assertThatThrownBy(() -> accounts.setPassword(robot.id(), "robot-password")).hasMessageContaining("tokens only");
        AccessTokens.Issued token = tokens.create(robot.id(), "pipeline", EnumSet.allOf(Action.class), null);

        Caller ci = accounts.authenticate(robot.username(), token.secret()).orElseThrow();
        assertThat(policy.allowed(ci, org + "/app")).containsExactlyInAnyOrder(Action.PULL, Action.PUSH);
        assertThat(policy.allowed(ci, owner + "/app")).isEmpty();
        assertThat(accounts.robots(org)).extracting(Account::username).containsExactly(org + "+ci");

        namespaces.deleteOrganization(org);
        assertThat(accounts.find(robot.id())).isEmpty();
        assertThat(accounts.authenticate(robot.username(), token.secret())).isEmpty();
    }

    @Test
    void theListingFilterKeepsWhatTheCallerMayPull() {
        String gina = unique("gina");
        String other = unique("other");
        accounts.createUser(gina, "gina-password", false);
        accounts.createUser(other, "other-password", false);
        namespaces.setDefaultVisibility(other, Visibility.PUBLIC);
        List<String> repos = List.of(gina + "/a", gina + "/b", other + "/public", other + "/private", other + "_x/y");
        repos.forEach(this::createRepository);
        namespaces.setVisibility(other + "/private", Visibility.PRIVATE);

        assertThat(listed(caller(gina, "gina-password"), repos))
                .containsExactlyInAnyOrder(gina + "/a", gina + "/b", other + "/public");
        assertThat(listed(Caller.ANONYMOUS, repos)).containsExactly(other + "/public");
        assertThat(listed(accounts.authenticate("admin", ADMIN_PASSWORD).orElseThrow(), repos))
                .containsExactlyInAnyOrderElementsOf(repos);
        // Each listed repository is one the policy lets the caller pull, and the other way round.
        for (String repo : repos) {
            assertThat(listed(caller(gina, "gina-password"), List.of(repo)).contains(repo))
                    .isEqualTo(policy.mayPull(caller(gina, "gina-password"), repo));
        }
    }

    @Test
    void theAuditLogKeepsEventsNewestFirst() {
        String target = unique("audited");
        audit.record("someone", AuditAction.MANIFEST_PUSH, target + ":1", "192.0.2.7", "sha256:abc");
        audit.record(Caller.ANONYMOUS, AuditAction.MANIFEST_DELETE, target + ":1", "192.0.2.8", null);
        List<AuditEvent> events = audit.recent(null, 2);
        assertThat(events).extracting(AuditEvent::action).containsExactly("manifest.delete", "manifest.push");
        assertThat(events.get(0).actor()).isEqualTo("anonymous");
        assertThat(events.get(1).clientAddress()).isEqualTo("192.0.2.7");
        assertThat(audit.recent(events.get(0).id(), 1)).extracting(AuditEvent::id).containsExactly(events.get(1).id());
    }

    private List<String> listed(Caller caller, List<String> among) {
        AccessPolicy.PullableFilter filter = policy.pullableFilter(caller, "r.name");
        return jdbc.sql("select r.name from repositories r where r.name in (:among) and " + filter.sql())
                .param("among", among).params(filter.params()).query(String.class).list();
    }

    private Caller caller(String username, String password) {
        return accounts.authenticate(username, password).orElseThrow();
    }

    private void createRepository(String name) {
        jdbc.sql("insert into repositories (name, created_at) values (:name, :now)")
                .params(Map.of("name", name, "now", OffsetDateTime.now(ZoneOffset.UTC))).update();
    }

}
