package dev.berth.registry.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * User and robot accounts, and signing in with a password or an access token.
 *
 * <p>A bcrypt check costs tens of milliseconds by design, and clients that send Basic credentials
 * send them with every request; so a successful check is remembered for a minute, keyed by a hash
 * of the credentials, and forgotten as soon as any account or token changes.
 */
@Service
public class Accounts {

    /** Shorter passwords are refused. */
    public static final int MIN_PASSWORD_LENGTH = 8;

    private static final long REMEMBER_NANOS = 60_000_000_000L;
    private static final int REMEMBER_AT_MOST = 10_000;

    private final JdbcClient jdbc;
    private final AccessTokens tokens;
    private final Namespaces namespaces;
    private final AuthProperties properties;
    private final Clock clock;
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(10);
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    private record Remembered(Caller caller, long until) {
    }

    Accounts(JdbcClient jdbc, AccessTokens tokens, Namespaces namespaces, AuthProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.namespaces = namespaces;
        this.properties = properties;
        this.clock = clock;
        tokens.onChange(this::forgetSignIns);
        namespaces.onChange(this::forgetSignIns);
    }

    /** Creates a person's account and the namespace of the same name, which the person administers. */
    @Transactional
    public Account createUser(String username, String password, boolean admin) {
        Names.requireNamespace(username, "a user name");
        requirePassword(password);
        if (namespaces.find(username).isPresent()) {
            throw new AccessControlException("the name " + username + " is taken");
        }
        Account account = insert(username, bcrypt.encode(password), admin, null);
        namespaces.createPersonal(username, account.id());
        return account;
    }

    /**
     * Creates a robot account {@code <organization>+<name>} for CI: it has no password, signs in
     * with access tokens, and holds {@code role} in its organization.
     */
    @Transactional
    public Account createRobot(String organization, String name, Role role) {
        Names.requireRobotName(name);
        Namespace org = namespaces.find(organization)
                .filter(n -> n.kind() == Namespace.Kind.ORGANIZATION)
                .orElseThrow(() -> new AccessControlException("no such organization: " + organization));
        Account account = insert(org.name() + "+" + name, null, false, org.name());
        namespaces.setMember(org.name(), account.id(), role);
        return account;
    }

    private Account insert(String username, String hash, boolean admin, String robotOf) {
        Instant now = clock.instant();
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        try {
            jdbc.sql("""
                    insert into users (username, password_hash, admin, disabled, robot_of, created_at)
                    values (:username, :hash, :admin, false, :robotOf, :now)""")
                    .param("username", username).param("hash", hash).param("admin", admin)
                    .param("robotOf", robotOf).param("now", Sql.timestamp(now))
                    .update(key, "id");
        } catch (DuplicateKeyException e) {
            throw new AccessControlException("the name " + username + " is taken");
        }
        return new Account(key.getKey().longValue(), username, admin, false, robotOf, now);
    }

    /**
     * Checks a user name with a password or one of the user's access tokens.
     *
     * @return the caller, or empty when the name, the secret or the account's state is wrong
     */
    public Optional<Caller> authenticate(String username, String secret) {
        if (username == null || secret == null || username.isEmpty() || secret.isEmpty()) {
            return Optional.empty();
        }
        String key = credentialKey(username, secret);
        Remembered r = remembered.get(key);
        if (r != null && r.until - System.nanoTime() > 0) {
            return Optional.of(r.caller);
        }
        Optional<Caller> caller = check(username, secret);
        caller.ifPresent(c -> {
            if (remembered.size() >= REMEMBER_AT_MOST) {
                remembered.clear();
            }
            remembered.put(key, new Remembered(c, System.nanoTime() + REMEMBER_NANOS));
        });
        return caller;
    }

    private Optional<Caller> check(String username, String secret) {
        Optional<Stored> stored = jdbc.sql("select * from users where username = :username")
                .param("username", username).query(Accounts::stored).optional();
        if (stored.isEmpty() || stored.get().account.disabled()) {
            if (stored.isEmpty()) {
                bcrypt.matches(secret, DUMMY_HASH); // the same work as for a real name: no timing hint
            }
            return Optional.empty();
        }
        Account account = stored.get().account;
        if (AccessTokens.looksLikeToken(secret)) {
            return tokens.match(secret)
                    .filter(t -> t.userId() == account.id())
                    .map(t -> new Caller(account.id(), account.username(), account.admin(), t.scopes()));
        }
        String hash = stored.get().passwordHash;
        if (hash == null || !bcrypt.matches(secret, hash)) {
            return Optional.empty();
        }
        return Optional.of(new Caller(account.id(), account.username(), account.admin(), EnumSet.allOf(Action.class)));
    }

    /** The caller an account is now, with every action its credential allows: for sessions and refresh tokens. */
    public Optional<Caller> current(long userId) {
        return find(userId).filter(a -> !a.disabled())
                .map(a -> new Caller(a.id(), a.username(), a.admin(), EnumSet.allOf(Action.class)));
    }

    /**
     * The caller a web UI session is now: empty once the account is disabled or deleted, or its
     * password has changed since the session signed in (a reset, by an administrator or offline
     * with {@code berth admin reset-password}, ends the account's sessions at their next request).
     */
    public Optional<Caller> currentSession(long userId, String passwordFingerprint) {
        return jdbc.sql("select * from users where id = :id").param("id", userId).query(Accounts::stored).optional()
                .filter(s -> !s.account.disabled() && fingerprintOf(s.passwordHash).equals(passwordFingerprint))
                .map(s -> new Caller(s.account.id(), s.account.username(), s.account.admin(), EnumSet.allOf(Action.class)));
    }

    /**
     * A short fingerprint of the account's password hash, kept in refresh tokens issued after a
     * password sign-in and in UI sessions: a new password changes it, and so revokes them.
     */
    public String passwordFingerprint(long userId) {
        return fingerprintOf(jdbc.sql("select coalesce(password_hash, '') from users where id = :id").param("id", userId)
                .query(String.class).optional().orElse(""));
    }

    private static String fingerprintOf(String passwordHash) {
        String hash = passwordHash == null ? "" : passwordHash;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(hash.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Transactional
    public void setPassword(long userId, String password) {
        requirePassword(password);
        Account account = find(userId).orElseThrow(() -> new AccessControlException("no such user"));
        if (account.robot()) {
            throw new AccessControlException("a robot account signs in with access tokens only");
        }
        jdbc.sql("update users set password_hash = :hash where id = :id")
                .param("hash", bcrypt.encode(password)).param("id", userId).update();
        forgetSignIns();
    }

    /** Checks a user's current password, for pages that ask for it again before a change. */
    public boolean passwordMatches(long userId, String password) {
        String hash = jdbc.sql("select password_hash from users where id = :id").param("id", userId)
                .query(String.class).optional().orElse(null);
        return hash != null && password != null && bcrypt.matches(password, hash);
    }

    @Transactional
    public void setDisabled(long userId, boolean disabled) {
        update(userId, "update users set disabled = :value where id = :id", disabled);
    }

    @Transactional
    public void setAdmin(long userId, boolean admin) {
        update(userId, "update users set admin = :value where id = :id", admin);
    }

    private void update(long userId, String sql, boolean value) {
        if (jdbc.sql(sql).param("value", value).param("id", userId).update() == 0) {
            throw new AccessControlException("no such user");
        }
        forgetSignIns();
    }

    /** Deletes an account with its tokens and memberships; a person's namespace goes too, its repositories stay. */
    @Transactional
    public void delete(long userId) {
        Account account = find(userId).orElseThrow(() -> new AccessControlException("no such user"));
        if (!account.robot()) {
            namespaces.deletePersonal(account.username());
        }
        jdbc.sql("delete from users where id = :id").param("id", userId).update();
        forgetSignIns();
    }

    public Optional<Account> find(long userId) {
        return jdbc.sql("select * from users where id = :id").param("id", userId).query(Accounts::account).optional();
    }

    public Optional<Account> find(String username) {
        return jdbc.sql("select * from users where username = :username").param("username", username)
                .query(Accounts::account).optional();
    }

    /** Every account by name: people first, then each organization's robots. */
    public List<Account> list() {
        return jdbc.sql("select * from users order by case when robot_of is null then 0 else 1 end, username")
                .query(Accounts::account).list();
    }

    /** The robot accounts of one organization. */
    public List<Account> robots(String organization) {
        return jdbc.sql("select * from users where robot_of = :org order by username").param("org", organization)
                .query(Accounts::account).list();
    }

    public long count() {
        return jdbc.sql("select count(*) from users").query(Long.class).single();
    }

    void forgetSignIns() {
        remembered.clear();
    }

    private static void requirePassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new AccessControlException("a password needs at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.length() > 72) {
            // bcrypt reads only the first 72 bytes; a longer password would be silently cut.
            throw new AccessControlException("a password can have at most 72 characters");
        }
    }

    private static String credentialKey(String username, String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(username.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Stored(Account account, String passwordHash) {
    }

    private static Stored stored(ResultSet rs, int row) throws SQLException {
        return new Stored(account(rs, row), rs.getString("password_hash"));
    }

    private static Account account(ResultSet rs, int row) throws SQLException {
        return new Account(rs.getLong("id"), rs.getString("username"), rs.getBoolean("admin"),
                rs.getBoolean("disabled"), rs.getString("robot_of"), Sql.instant(rs, "created_at"));
    }

    /** bcrypt of a random string nobody knows: checked against when the user name does not exist. */
    private static final String DUMMY_HASH = "$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z6CWM7v0bhnxm9GZpN0uKjGe";
}
