package dev.berth.registry.metadata;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The tables of who owns what: {@code namespaces}, {@code namespace_members} and
 * {@code repository_visibility}. Kinds, roles and visibilities are stored by their enum names
 * (registry.auth's Namespace.Kind, Role and Visibility, which this package does not see: auth
 * depends on metadata); the rules on them are auth's Namespaces.
 */
@Component
public class NamespaceRows {

    /** One namespace; {@code kind} is {@code USER} or {@code ORGANIZATION}. */
    public record Row(String name, String kind, String defaultVisibility, Instant createdAt) {
    }

    /** One member of a namespace, with the account's name. */
    public record MemberRow(long userId, String username, String role, boolean robot) {
    }

    /**
     * A condition on repository names to AND into a query's WHERE clause.
     *
     * @param params the named parameters it uses (their names start with {@code pullable})
     */
    public record Condition(String sql, Map<String, Object> params) {
    }

    /** Holds for every repository. */
    public static final Condition EVERY_REPOSITORY = new Condition("1 = 1", Map.of());

    /** Holds for none. */
    public static final Condition NO_REPOSITORY = new Condition("1 = 0", Map.of());

    private final JdbcClient jdbc;

    NamespaceRows(JdbcTemplate jdbc) {
        this.jdbc = JdbcClient.create(jdbc);
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the name is taken */
    public void insert(String name, String kind, String defaultVisibility, Instant createdAt) {
        jdbc.sql("""
                insert into namespaces (name, kind, default_visibility, created_at)
                values (:name, :kind, :visibility, :now)""")
                .param("name", name).param("kind", kind).param("visibility", defaultVisibility)
                .param("now", Timestamps.of(createdAt))
                .update();
    }

    public Optional<Row> byName(String name) {
        return jdbc.sql("select * from namespaces where name = :name").param("name", name)
                .query(NamespaceRows::row).optional();
    }

    /** Every namespace by name. */
    public List<Row> all() {
        return jdbc.sql("select * from namespaces order by name").query(NamespaceRows::row).list();
    }

    /** The organizations a user belongs to, or all of them for {@code null}, by name. */
    public List<Row> organizations(Long userId) {
        if (userId == null) {
            return jdbc.sql("select * from namespaces where kind = 'ORGANIZATION' order by name")
                    .query(NamespaceRows::row).list();
        }
        return jdbc.sql("""
                select n.* from namespaces n join namespace_members m on m.namespace = n.name
                where m.user_id = :user and n.kind = 'ORGANIZATION' order by n.name""")
                .param("user", userId).query(NamespaceRows::row).list();
    }

    public void setDefaultVisibility(String namespace, String visibility) {
        jdbc.sql("update namespaces set default_visibility = :v where name = :ns")
                .param("v", visibility).param("ns", namespace).update();
    }

    /** Deletes a namespace; its memberships and robot accounts go with it (the schema cascades). */
    public void delete(String name) {
        jdbc.sql("delete from namespaces where name = :ns").param("ns", name).update();
    }

    /** Deletes a user's own namespace (never an organization of the same name, which cannot exist). */
    public void deletePersonal(String username) {
        jdbc.sql("delete from namespaces where name = :ns and kind = 'USER'").param("ns", username).update();
    }

    /** The members by user name. */
    public List<MemberRow> members(String namespace) {
        return jdbc.sql("""
                select m.user_id, u.username, m.role, u.robot_of from namespace_members m
                join users u on u.id = m.user_id where m.namespace = :ns order by u.username""")
                .param("ns", namespace)
                .query((rs, row) -> new MemberRow(rs.getLong("user_id"), rs.getString("username"), rs.getString("role"),
                        rs.getString("robot_of") != null))
                .list();
    }

    /** The role in each namespace the user is a member of. */
    public Map<String, String> rolesOf(long userId) {
        Map<String, String> roles = new HashMap<>();
        jdbc.sql("select namespace, role from namespace_members where user_id = :user").param("user", userId)
                .query(rs -> {
                    roles.put(rs.getString("namespace"), rs.getString("role"));
                });
        return roles;
    }

    public Optional<String> roleOf(long userId, String namespace) {
        return jdbc.sql("select role from namespace_members where user_id = :user and namespace = :ns")
                .param("user", userId).param("ns", namespace).query(String.class).optional();
    }

    /** Adds a member or changes a member's role. */
    public void setMember(String namespace, long userId, String role) {
        int changed = jdbc.sql("update namespace_members set role = :role where namespace = :ns and user_id = :user")
                .param("role", role).param("ns", namespace).param("user", userId).update();
        if (changed == 0) {
            jdbc.sql("insert into namespace_members (namespace, user_id, role) values (:ns, :user, :role)")
                    .param("ns", namespace).param("user", userId).param("role", role).update();
        }
    }

    /** @return false when the user was not a member */
    public boolean removeMember(String namespace, long userId) {
        return jdbc.sql("delete from namespace_members where namespace = :ns and user_id = :user")
                .param("ns", namespace).param("user", userId).update() > 0;
    }

    /** How many members hold {@code role}. */
    public long countWithRole(String namespace, String role) {
        return jdbc.sql("select count(*) from namespace_members where namespace = :ns and role = :role")
                .param("ns", namespace).param("role", role).query(Long.class).single();
    }

    /** Sets one repository's own visibility, whatever its namespace's default. */
    public void setRepositoryVisibility(String repository, String visibility) {
        int changed = jdbc.sql("update repository_visibility set visibility = :v where repository = :r")
                .param("v", visibility).param("r", repository).update();
        if (changed == 0) {
            jdbc.sql("insert into repository_visibility (repository, visibility) values (:r, :v)")
                    .param("r", repository).param("v", visibility).update();
        }
    }

    /** The repository's own visibility, if it has one. */
    public Optional<String> repositoryVisibility(String repository) {
        return jdbc.sql("select visibility from repository_visibility where repository = :r")
                .param("r", repository).query(String.class).optional();
    }

    /** Whether the repository exists (it may hold nothing yet). */
    public boolean repositoryExists(String repository) {
        return jdbc.sql("select count(*) from repositories where name = :name").param("name", repository)
                .query(Long.class).single() > 0;
    }

    /**
     * Holds for the repositories in one of {@code namespaces} and for the public ones: by their own
     * visibility, else their namespace's default, else {@code fallbackVisibility}. The same rule as
     * registry.auth's Namespaces.visibility, for listings that must show nothing else.
     *
     * @param nameColumn the column holding the repository name, e.g. {@code r.name}
     */
    public static Condition publicOrIn(String nameColumn, String fallbackVisibility, List<String> namespaces) {
        String namespace = "case when position('/' in " + nameColumn + ") > 0 then substring(" + nameColumn
                + " from 1 for position('/' in " + nameColumn + ") - 1) else " + nameColumn + " end";
        String isPublic = "coalesce((select pv.visibility from repository_visibility pv where pv.repository = "
                + nameColumn + "), (select pn.default_visibility from namespaces pn where pn.name = " + namespace
                + "), :pullableDefault) = 'PUBLIC'";
        Map<String, Object> params = new HashMap<>();
        params.put("pullableDefault", fallbackVisibility);
        if (namespaces.isEmpty()) {
            return new Condition("(" + isPublic + ")", params);
        }
        params.put("pullableNamespaces", namespaces);
        return new Condition("(" + namespace + " in (:pullableNamespaces) or " + isPublic + ")", params);
    }

    private static Row row(ResultSet rs, int row) throws SQLException {
        return new Row(rs.getString("name"), rs.getString("kind"), rs.getString("default_visibility"),
                Timestamps.instant(rs, "created_at"));
    }
}
