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
 * The {@code users} table: people's and robots' accounts with their bcrypt hashes. The rules
 * (who may be created, how a password is checked) are registry.auth's Accounts; this only stores.
 */
@Component
public class AccountRows {

    /**
     * One account.
     *
     * @param robotOf      the organization a robot belongs to; null for a person
     * @param passwordHash the bcrypt hash; null for a robot
     */
    public record Row(long id, String username, boolean admin, boolean disabled, String robotOf, Instant createdAt,
            String passwordHash) {
        @Override
        public String toString() {
            return "Row[" + id + ", " + username + "]"; // never the hash
        }
    }

    private final JdbcClient jdbc;

    AccountRows(JdbcTemplate jdbc) {
        this.jdbc = JdbcClient.create(jdbc);
    }

    /**
     * Adds an account, enabled.
     *
     * @return its id
     * @throws org.springframework.dao.DuplicateKeyException when the name is taken
     */
    public long insert(String username, String passwordHash, boolean admin, String robotOf, Instant createdAt) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into users (username, password_hash, admin, disabled, robot_of, created_at)
                values (:username, :hash, :admin, false, :robotOf, :now)""")
                .param("username", username).param("hash", passwordHash).param("admin", admin)
                .param("robotOf", robotOf).param("now", Timestamps.of(createdAt))
                .update(key, "id");
        return key.getKey().longValue();
    }

    public Optional<Row> byId(long id) {
        return jdbc.sql("select * from users where id = :id").param("id", id).query(AccountRows::row).optional();
    }

    public Optional<Row> byUsername(String username) {
        return jdbc.sql("select * from users where username = :username").param("username", username)
                .query(AccountRows::row).optional();
    }

    /** The account's bcrypt hash; empty for a robot or no such account. */
    public Optional<String> passwordHash(long id) {
        return jdbc.sql("select password_hash from users where id = :id").param("id", id)
                .query(String.class).optional();
    }

    public void setPasswordHash(long id, String passwordHash) {
        jdbc.sql("update users set password_hash = :hash where id = :id").param("hash", passwordHash).param("id", id).update();
    }

    /** @return false when there is no such account */
    public boolean setDisabled(long id, boolean disabled) {
        return jdbc.sql("update users set disabled = :value where id = :id").param("value", disabled).param("id", id)
                .update() > 0;
    }

    /** @return false when there is no such account */
    public boolean setAdmin(long id, boolean admin) {
        return jdbc.sql("update users set admin = :value where id = :id").param("value", admin).param("id", id)
                .update() > 0;
    }

    /** Deletes an account; its tokens and memberships go with it (the schema cascades). */
    public void delete(long id) {
        jdbc.sql("delete from users where id = :id").param("id", id).update();
    }

    /** Deletes the robot accounts of an organization. */
    public void deleteRobotsOf(String organization) {
        jdbc.sql("delete from users where robot_of = :ns").param("ns", organization).update();
    }

    /** Every account by name: people first, then each organization's robots. */
    public List<Row> all() {
        return jdbc.sql("select * from users order by case when robot_of is null then 0 else 1 end, username")
                .query(AccountRows::row).list();
    }

    /** The robot accounts of one organization, by name. */
    public List<Row> robotsOf(String organization) {
        return jdbc.sql("select * from users where robot_of = :org order by username").param("org", organization)
                .query(AccountRows::row).list();
    }

    public long count() {
        return jdbc.sql("select count(*) from users").query(Long.class).single();
    }

    private static Row row(ResultSet rs, int row) throws SQLException {
        return new Row(rs.getLong("id"), rs.getString("username"), rs.getBoolean("admin"), rs.getBoolean("disabled"),
                rs.getString("robot_of"), Timestamps.instant(rs, "created_at"), rs.getString("password_hash"));
    }
}
