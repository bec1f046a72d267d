package dev.berth.registry.auth;

import dev.berth.registry.metadata.AccessTokenRows;
import dev.berth.registry.metadata.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Personal access tokens: named, scoped, optionally expiring secrets that work as the password in
 * {@code docker login}. The secret is 32 random bytes, shown once; only its SHA-256 is stored (a
 * slow hash buys nothing for a secret that long, and a fast one lets a sign-in find its token).
 */
@Service
public class AccessTokens {

    /** Every secret starts with this, so a token is told from a password (and found by secret scanners). */
    static final String PREFIX = "berth_pat_";

    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final AccessTokenRows rows;
    private final Transactions transactions;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    AccessTokens(AccessTokenRows rows, Transactions transactions, Clock clock) {
        this.rows = rows;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A token just created, with the secret the user sees this once. */
    public record Issued(AccessToken token, String secret) {
    }

    public Issued create(long userId, String name, Set<Action> scopes, Instant expiresAt) {
        return transactions.joining(() -> {
            if (name == null || name.isBlank() || name.length() > 100) {
                throw new AccessControlException("a token needs a name of 1 to 100 characters");
            }
            if (scopes.isEmpty()) {
                throw new AccessControlException("a token needs at least one scope: pull, push or delete");
            }
            Instant now = clock.instant();
            if (expiresAt != null && !expiresAt.isAfter(now)) {
                throw new AccessControlException("a token's expiry must lie in the future");
            }
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            long id;
            try {
                id = rows.insert(userId, name.strip(), hash(secret), Action.formatList(scopes), now, expiresAt);
            } catch (DuplicateKeyException e) {
                throw new AccessControlException("you already have a token named " + name.strip());
            }
            AccessToken token = new AccessToken(id, userId, name.strip(), Set.copyOf(scopes), now,
                    expiresAt, null);
            return new Issued(token, secret);
        });
    }

    /** The user's tokens, newest first. */
    public List<AccessToken> list(long userId) {
        return rows.ofUser(userId).stream().map(AccessTokens::token).toList();
    }

    /** Revokes one of the user's tokens; false when the user has no such token. */
    public boolean revoke(long userId, long tokenId) {
        return transactions.joining(() -> {
            boolean removed = rows.delete(userId, tokenId);
            if (removed) {
                listeners.forEach(Runnable::run);
            }
            return removed;
        });
    }

    /** The live token whose secret this is; marks it used. */
    Optional<AccessToken> match(String secret) {
        Instant now = clock.instant();
        Optional<AccessToken> token = rows.bySecretHash(hash(secret)).map(AccessTokens::token)
                .filter(t -> !t.expired(now));
        token.filter(t -> t.lastUsedAt() == null || t.lastUsedAt().plus(TOUCH_EVERY).isBefore(now))
                .ifPresent(t -> rows.markUsed(t.id(), now));
        return token;
    }

    /** The token with this id while it is neither revoked nor expired: refresh tokens issued through it live as long. */
    Optional<AccessToken> live(long tokenId) {
        Instant now = clock.instant();
        return rows.byId(tokenId).map(AccessTokens::token).filter(t -> !t.expired(now));
    }

    /** Whether a secret is an access token rather than a password (tokens carry a fixed prefix). */
    public static boolean looksLikeToken(String secret) {
        return secret.startsWith(PREFIX);
    }

    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AccessToken token(AccessTokenRows.Row row) {
        return new AccessToken(row.id(), row.userId(), row.name(), Set.copyOf(Action.parseList(row.scopes())),
                row.createdAt(), row.expiresAt(), row.lastUsedAt());
    }
}
