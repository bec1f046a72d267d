package dev.berth.registry.auth;

import dev.berth.registry.metadata.AccountRows;
import dev.berth.registry.metadata.Transactions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * User and robot accounts, and signing in with a password or an access token.
 *
 * <p>A bcrypt check costs tens of milliseconds by design, and clients that send Basic credentials
 * send them with every request; so a successful check is remembered for five seconds, keyed by a
 * hash of the credentials, and forgotten as soon as any account or token changes on this server.
 * A change made on another server of the same database (a revoked token, a disabled account, a
 * reset password) applies here once the five seconds are over.
 */
@Service
public class Accounts {

    /** Shorter passwords are refused. */
    public static final int MIN_PASSWORD_LENGTH = 8;

    private static final long REMEMBER_NANOS = 5_000_000_000L;
    private static final int REMEMBER_AT_MOST = 10_000;

    private final AccountRows rows;
    private final Transactions transactions;
    private final AccessTokens tokens;
    private final Namespaces namespaces;
    private final AuthProperties properties;
    private final Clock clock;
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(10);
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    private record Remembered(Caller caller, long until) {
    }

    Accounts(AccountRows rows, Transactions transactions, AccessTokens tokens, Namespaces namespaces,
            AuthProperties properties, Clock clock) {
        this.rows = rows;
        this.transactions = transactions;
        this.tokens = tokens;
        this.namespaces = namespaces;
        this.properties = properties;
        this.clock = clock;
        tokens.onChange(this::forgetSignIns);
        namespaces.onChange(this::forgetSignIns);
    }

    /** Creates a person's account and the namespace of the same name, which the person administers. */
    public Account createUser(String username, String password, boolean admin) {
        return transactions.joining(() -> {
            Names.requireNamespace(username, "a user name");
            requirePassword(password);
            if (namespaces.find(username).isPresent()) {
                throw new AccessControlException("the name " + username + " is taken");
            }
            Account account = insert(username, bcrypt.encode(password), admin, null);
            namespaces.createPersonal(username, account.id());
            return account;
        });
    }

    /**
     * Creates a robot account {@code <organization>+<name>} for CI: it has no password, signs in
     * with access tokens, and holds {@code role} in its organization.
     */
    public Account createRobot(String organization, String name, Role role) {
        return transactions.joining(() -> {
            Names.requireRobotName(name);
            Namespace org = namespaces.find(organization)
                    .filter(n -> n.kind() == Namespace.Kind.ORGANIZATION)
                    .orElseThrow(() -> new AccessControlException("no such organization: " + organization));
            Account account = insert(org.name() + "+" + name, null, false, org.name());
            namespaces.setMember(org.name(), account.id(), role);
            return account;
        });
    }

    private Account insert(String username, String hash, boolean admin, String robotOf) {
        Instant now = clock.instant();
        long id;
        try {
            id = rows.insert(username, hash, admin, robotOf, now);
        } catch (DuplicateKeyException e) {
            throw new AccessControlException("the name " + username + " is taken");
        }
        return new Account(id, username, admin, false, robotOf, now);
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
        Optional<AccountRows.Row> stored = rows.byUsername(username);
        if (stored.isEmpty() || stored.get().disabled()) {
            if (stored.isEmpty()) {
                bcrypt.matches(secret, DUMMY_HASH); // the same work as for a real name: no timing hint
            }
            return Optional.empty();
        }
        Account account = account(stored.get());
        if (AccessTokens.looksLikeToken(secret)) {
            return tokens.match(secret)
                    .filter(t -> t.userId() == account.id())
                    .map(t -> new Caller(account.id(), account.username(), account.admin(), t.scopes()));
        }
        String hash = stored.get().passwordHash();
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
        return rows.byId(userId)
                .filter(s -> !s.disabled() && fingerprintOf(s.passwordHash()).equals(passwordFingerprint))
                .map(s -> new Caller(s.id(), s.username(), s.admin(), EnumSet.allOf(Action.class)));
    }

    /**
     * A short fingerprint of the account's password hash, kept in refresh tokens issued after a
     * password sign-in and in UI sessions: a new password changes it, and so revokes them.
     */
    public String passwordFingerprint(long userId) {
        return fingerprintOf(rows.passwordHash(userId).orElse(""));
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

    public void setPassword(long userId, String password) {
        transactions.joining(() -> {
            requirePassword(password);
            Account account = find(userId).orElseThrow(() -> new AccessControlException("no such user"));
            if (account.robot()) {
                throw new AccessControlException("a robot account signs in with access tokens only");
            }
            rows.setPasswordHash(userId, bcrypt.encode(password));
            forgetSignIns();
        });
    }

    /** Checks a user's current password, for pages that ask for it again before a change. */
    public boolean passwordMatches(long userId, String password) {
        String hash = rows.passwordHash(userId).orElse(null);
        return hash != null && password != null && bcrypt.matches(password, hash);
    }

    public void setDisabled(long userId, boolean disabled) {
        transactions.joining(() -> {
            requireChanged(rows.setDisabled(userId, disabled));
        });
    }

    public void setAdmin(long userId, boolean admin) {
        transactions.joining(() -> {
            requireChanged(rows.setAdmin(userId, admin));
        });
    }

    private void requireChanged(boolean changed) {
        if (!changed) {
            throw new AccessControlException("no such user");
        }
        forgetSignIns();
    }

    /** Deletes an account with its tokens and memberships; a person's namespace goes too, its repositories stay. */
    public void delete(long userId) {
        transactions.joining(() -> {
            Account account = find(userId).orElseThrow(() -> new AccessControlException("no such user"));
            if (!account.robot()) {
                namespaces.deletePersonal(account.username());
            }
            rows.delete(userId);
            forgetSignIns();
        });
    }

    public Optional<Account> find(long userId) {
        return rows.byId(userId).map(Accounts::account);
    }

    public Optional<Account> find(String username) {
        return rows.byUsername(username).map(Accounts::account);
    }

    /** Every account by name: people first, then each organization's robots. */
    public List<Account> list() {
        return rows.all().stream().map(Accounts::account).toList();
    }

    /** The robot accounts of one organization. */
    public List<Account> robots(String organization) {
        return rows.robotsOf(organization).stream().map(Accounts::account).toList();
    }

    public long count() {
        return rows.count();
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

    private static Account account(AccountRows.Row row) {
        return new Account(row.id(), row.username(), row.admin(), row.disabled(), row.robotOf(), row.createdAt());
    }

    /** bcrypt of a random string nobody knows: checked against when the user name does not exist. */
    private static final String DUMMY_HASH = "$2a$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z6CWM7v0bhnxm9GZpN0uKjGe";
}
