package dev.berth.registry.metadata;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/**
 * The {@code access_tokens} table: personal access tokens by the SHA-256 of their secret (the
 * secret itself is never stored). Making secrets and checking scopes is registry.auth's AccessTokens.
 */
@Component
public class AccessTokenRows {

    /**
     * One token.
     *
     * @param scopes     the stored list of actions, e.g. {@code pull,push}
     * @param expiresAt  null for a token that does not expire
     * @param lastUsedAt null if never used
     */
    public record Row(long id, long userId, String name, String scopes, Instant createdAt, Instant expiresAt,
            Instant lastUsedAt) {
    }

    private final JdbcClient jdbc;

    AccessTokenRows(JdbcTemplate jdbc) {
        this.jdbc = JdbcClient.create(jdbc);
    }

    /**
     * Adds a token.
     *
     * @return its id
     * @throws org.springframework.dao.DuplicateKeyException when the user has a token of that name
     */
    public long insert(long userId, String name, String secretHash, String scopes, Instant createdAt, Instant expiresAt) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into access_tokens (user_id, name, secret_hash, scopes, created_at, expires_at)
                values (:user, :name, :hash, :scopes, :now, :expires)""")
                .param("user", userId).param("name", name).param("hash", secretHash)
                .param("scopes", scopes).param("now", Timestamps.of(createdAt))
                .param("expires", Timestamps.of(expiresAt))
                .update(key, "id");
        return key.getKey().longValue();
    }

    /** The user's tokens, newest first. */
    public List<Row> ofUser(long userId) {
        return jdbc.sql("select * from access_tokens where user_id = :user order by created_at desc, id desc")
                .param("user", userId).query(AccessTokenRows::row).list();
    }

    /** Deletes one of the user's tokens; false when the user has no such token. */
    public boolean delete(long userId, long tokenId) {
        return jdbc.sql("delete from access_tokens where id = :id and user_id = :user")
                .param("id", tokenId).param("user", userId).update() > 0;
    }

    public Optional<Row> bySecretHash(String secretHash) {
        return jdbc.sql("select * from access_tokens where secret_hash = :hash").param("hash", secretHash)
                .query(AccessTokenRows::row).optional();
    }

    public Optional<Row> byId(long tokenId) {
        return jdbc.sql("select * from access_tokens where id = :id").param("id", tokenId)
                .query(AccessTokenRows::row).optional();
    }

    public void markUsed(long tokenId, Instant at) {
        jdbc.sql("update access_tokens set last_used_at = :now where id = :id")
                .param("now", Timestamps.of(at)).param("id", tokenId).update();
    }

    private static Row row(ResultSet rs, int row) throws SQLException {
        return new Row(rs.getLong("id"), rs.getLong("user_id"), rs.getString("name"), rs.getString("scopes"),
                Timestamps.instant(rs, "created_at"), Timestamps.instant(rs, "expires_at"),
                Timestamps.instant(rs, "last_used_at"));
    }
}
