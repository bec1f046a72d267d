package dev.berth.registry.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/** Accounts and their access tokens on a migrated H2, as registry.auth's Accounts and AccessTokens keep them. */
class AccountRowsTest {

    private static final Instant T0 = Instant.parse("2026-12-07T01:00:00.123456Z");

    private final JdbcTemplate jdbc = MetadataDatabase.migrated();
    private final AccountRows accounts = new AccountRows(jdbc);
    private final AccessTokenRows tokens = new AccessTokenRows(jdbc);
    private final NamespaceRows namespaces = new NamespaceRows(jdbc);

    @Test
    void anAccountReadsBackAsWrittenByIdAndByName() {
        long id = accounts.insert("alice", "$2a$10$hash", true, null, T0);

        AccountRows.Row alice = accounts.byId(id).orElseThrow();
        assertThat(alice).isEqualTo(new AccountRows.Row(id, "alice", true, false, null, T0, "$2a$10$hash"));
        assertThat(accounts.byUsername("alice")).contains(alice);
        assertThat(accounts.byUsername("Alice")).isEmpty();
        assertThat(accounts.byId(id + 1)).isEmpty();
        assertThat(accounts.count()).isEqualTo(1);
    }

    @Test
    void aTakenNameIsADuplicateKey() {
        accounts.insert("alice", "h", false, null, T0);
        assertThatThrownBy(() -> accounts.insert("alice", "h2", false, null, T0)).isInstanceOf(DuplicateKeyException.class);
        assertThat(accounts.count()).isEqualTo(1);
    }

    @Test
    void aRobotHasNoPasswordHashAndIsListedAfterThePeople() {
        namespaces.insert("team", "ORGANIZATION", "PRIVATE", T0);
        long robot = accounts.insert("team+ci", null, false, "team", T0);
        accounts.insert("zoe", "h", false, null, T0);
        accounts.insert("bob", "h", false, null, T0);

        assertThat(accounts.passwordHash(robot)).isEmpty();
        assertThat(accounts.passwordHash(robot + 100)).isEmpty();
        assertThat(accounts.all()).extracting(AccountRows.Row::username).containsExactly("bob", "zoe", "team+ci");
        assertThat(accounts.robotsOf("team")).extracting(AccountRows.Row::username).containsExactly("team+ci");
        assertThat(accounts.robotsOf("other")).isEmpty();
    }

    @Test
    void flagsAndHashChangeOnlyAnAccountThatExists() {
        long id = accounts.insert("alice", "old", false, null, T0);

        assertThat(accounts.setDisabled(id, true)).isTrue();
        assertThat(accounts.setAdmin(id, true)).isTrue();
        accounts.setPasswordHash(id, "new");
        assertThat(accounts.byId(id).orElseThrow()).extracting(AccountRows.Row::disabled, AccountRows.Row::admin,
                AccountRows.Row::passwordHash).containsExactly(true, true, "new");
        assertThat(accounts.setDisabled(id + 1, true)).isFalse();
        assertThat(accounts.setAdmin(id + 1, true)).isFalse();
    }

    @Test
    void deletingAnAccountDeletesItsTokensAndMemberships() {
        long id = accounts.insert("alice", "h", false, null, T0);
        namespaces.insert("team", "ORGANIZATION", "PRIVATE", T0);
        namespaces.setMember("team", id, "ADMIN");
        long token = tokens.insert(id, "ci", "hash-1", "pull", T0, null);

        accounts.delete(id);

        assertThat(accounts.byId(id)).isEmpty();
        assertThat(tokens.byId(token)).isEmpty();
        assertThat(namespaces.members("team")).isEmpty();
    }

    @Test
    void deletingAnOrganizationsRobotsLeavesThePeople() {
        namespaces.insert("team", "ORGANIZATION", "PRIVATE", T0);
        accounts.insert("team+ci", null, false, "team", T0);
        accounts.insert("alice", "h", false, null, T0);

        accounts.deleteRobotsOf("team");

        assertThat(accounts.all()).extracting(AccountRows.Row::username).containsExactly("alice");
    }

    @Test
    void aTokenIsFoundByTheHashOfItsSecretAndRemembersItsLastUse() {
        long alice = accounts.insert("alice", "h", false, null, T0);
        Instant expires = T0.plusSeconds(3600);
        long id = tokens.insert(alice, "ci", "hash-1", "pull,push", T0, expires);

        AccessTokenRows.Row row = tokens.bySecretHash("hash-1").orElseThrow();
        assertThat(row).isEqualTo(new AccessTokenRows.Row(id, alice, "ci", "pull,push", T0, expires, null));
        assertThat(tokens.bySecretHash("hash-2")).isEmpty();

        tokens.markUsed(id, T0.plusSeconds(60));
        assertThat(tokens.byId(id).orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void aUsersTokensAreListedNewestFirstAndRevokedOnlyByTheirOwner() {
        long alice = accounts.insert("alice", "h", false, null, T0);
        long bob = accounts.insert("bob", "h", false, null, T0);
        long first = tokens.insert(alice, "first", "hash-1", "pull", T0, null);
        long second = tokens.insert(alice, "second", "hash-2", "pull", T0.plusSeconds(1), null);
        tokens.insert(bob, "first", "hash-3", "pull", T0, null); // names are unique per user only

        assertThat(tokens.ofUser(alice)).extracting(AccessTokenRows.Row::id).containsExactly(second, first);
        assertThatThrownBy(() -> tokens.insert(alice, "first", "hash-4", "pull", T0, null))
                .isInstanceOf(DuplicateKeyException.class);

        assertThat(tokens.delete(bob, first)).isFalse();
        assertThat(tokens.delete(alice, first)).isTrue();
        assertThat(tokens.delete(alice, first)).isFalse();
        assertThat(tokens.ofUser(alice)).extracting(AccessTokenRows.Row::id).containsExactly(second);
    }
}
