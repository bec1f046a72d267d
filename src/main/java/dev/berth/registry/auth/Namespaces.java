package dev.berth.registry.auth;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Namespaces (users' own and organizations), their members' roles, and which repositories are
 * public. A user and an organization never share a name: both are namespaces.
 */
@Service
public class Namespaces {

    private final JdbcClient jdbc;
    private final AuthProperties properties;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    Namespaces(JdbcClient jdbc, AuthProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** Creates an organization; {@code creatorUserId} becomes its first administrator. */
    @Transactional
    public Namespace createOrganization(String name, long creatorUserId) {
        Names.requireNamespace(name, "an organization name");
        Namespace org = insert(name, Namespace.Kind.ORGANIZATION);
        setMember(name, creatorUserId, Role.ADMIN);
        return org;
    }

    void createPersonal(String username, long userId) {
        insert(username, Namespace.Kind.USER);
        jdbc.sql("insert into namespace_members (namespace, user_id, role) values (:ns, :user, 'ADMIN')")
                .param("ns", username).param("user", userId).update();
    }

    private Namespace insert(String name, Namespace.Kind kind) {
        Namespace ns = new Namespace(name, kind, properties.defaultVisibility(), clock.instant());
        try {
            jdbc.sql("""
                    insert into namespaces (name, kind, default_visibility, created_at)
                    values (:name, :kind, :visibility, :now)""")
                    .param("name", name).param("kind", kind.name())
                    .param("visibility", ns.defaultVisibility().name()).param("now", Sql.timestamp(ns.createdAt()))
                    .update();
        } catch (DuplicateKeyException e) {
            throw new AccessControlException("the name " + name + " is taken");
        }
        return ns;
    }

    public Optional<Namespace> find(String name) {
        return jdbc.sql("select * from namespaces where name = :name").param("name", name)
                .query(Namespaces::namespace).optional();
    }

    /** Every namespace by name. */
    public List<Namespace> list() {
        return jdbc.sql("select * from namespaces order by name").query(Namespaces::namespace).list();
    }

    /** The organizations a user belongs to, or all of them for {@code null}. */
    public List<Namespace> organizations(Long userId) {
        if (userId == null) {
            return jdbc.sql("select * from namespaces where kind = 'ORGANIZATION' order by name")
                    .query(Namespaces::namespace).list();
        }
        return jdbc.sql("""
                select n.* from namespaces n join namespace_members m on m.namespace = n.name
                where m.user_id = :user and n.kind = 'ORGANIZATION' order by n.name""")
                .param("user", userId).query(Namespaces::namespace).list();
    }

    public List<Member> members(String namespace) {
        return jdbc.sql("""
                select m.user_id, u.username, m.role, u.robot_of from namespace_members m
                join users u on u.id = m.user_id where m.namespace = :ns order by u.username""")
                .param("ns", namespace)
                .query((rs, row) -> new Member(rs.getLong("user_id"), rs.getString("username"),
                        Role.valueOf(rs.getString("role")), rs.getString("robot_of") != null))
                .list();
    }

    /** The role of each namespace the user is a member of. */
    public Map<String, Role> rolesOf(long userId) {
        Map<String, Role> roles = new HashMap<>();
        jdbc.sql("select namespace, role from namespace_members where user_id = :user").param("user", userId)
                .query(rs -> {
                    roles.put(rs.getString("namespace"), Role.valueOf(rs.getString("role")));
                });
        return roles;
    }

    /** The user's role in one namespace, if any. */
    public Optional<Role> roleOf(long userId, String namespace) {
        return jdbc.sql("select role from namespace_members where user_id = :user and namespace = :ns")
                .param("user", userId).param("ns", namespace).query(String.class).optional().map(Role::valueOf);
    }

    /** Adds a member or changes a member's role. */
    @Transactional
    public void setMember(String namespace, long userId, Role role) {
        requireExists(namespace);
        int changed = jdbc.sql("update namespace_members set role = :role where namespace = :ns and user_id = :user")
                .param("role", role.name()).param("ns", namespace).param("user", userId).update();
        if (changed == 0) {
            jdbc.sql("insert into namespace_members (namespace, user_id, role) values (:ns, :user, :role)")
                    .param("ns", namespace).param("user", userId).param("role", role.name()).update();
        }
        if (role != Role.ADMIN) {
            requireAnAdmin(namespace);
        }
        changed();
    }

    @Transactional
    public void removeMember(String namespace, long userId) {
        if (jdbc.sql("delete from namespace_members where namespace = :ns and user_id = :user")
                .param("ns", namespace).param("user", userId).update() == 0) {
            throw new AccessControlException("not a member of " + namespace);
        }
        requireAnAdmin(namespace);
        changed();
    }

    private void requireAnAdmin(String namespace) {
        long admins = jdbc.sql("select count(*) from namespace_members where namespace = :ns and role = 'ADMIN'")
                .param("ns", namespace).query(Long.class).single();
        if (admins == 0) {
            // Thrown inside the transaction, so the change that left nobody in charge is undone.
            throw new AccessControlException(namespace + " would have no administrator left");
        }
    }

    @Transactional
    public void setDefaultVisibility(String namespace, Visibility visibility) {
        requireExists(namespace);
        jdbc.sql("update namespaces set default_visibility = :v where name = :ns")
                .param("v", visibility.name()).param("ns", namespace).update();
        changed();
    }

    /** Deletes an organization with its memberships and robot accounts; its repositories stay. */
    @Transactional
    public void deleteOrganization(String name) {
        Namespace ns = requireExists(name);
        if (ns.kind() != Namespace.Kind.ORGANIZATION) {
            throw new AccessControlException(name + " is a user's namespace, not an organization");
        }
        jdbc.sql("delete from users where robot_of = :ns").param("ns", name).update();
        jdbc.sql("delete from namespaces where name = :ns").param("ns", name).update();
        changed();
    }

    void deletePersonal(String username) {
        jdbc.sql("delete from namespaces where name = :ns and kind = 'USER'").param("ns", username).update();
    }

    /** Makes one repository public or private, whatever its namespace's default. */
    @Transactional
    public void setVisibility(String repository, Visibility visibility) {
        int changed = jdbc.sql("update repository_visibility set visibility = :v where repository = :r")
                .param("v", visibility.name()).param("r", repository).update();
        if (changed == 0) {
            jdbc.sql("insert into repository_visibility (repository, visibility) values (:r, :v)")
                    .param("r", repository).param("v", visibility.name()).update();
        }
        changed();
    }

    /** A repository's visibility: its own, else its namespace's default, else the configured default. */
    public Visibility visibility(String repository) {
        Optional<String> own = jdbc.sql("select visibility from repository_visibility where repository = :r")
                .param("r", repository).query(String.class).optional();
        return own.or(() -> find(Names.namespaceOf(repository)).map(n -> n.defaultVisibility().name()))
                .map(Visibility::valueOf).orElse(properties.defaultVisibility());
    }

    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    private Namespace requireExists(String namespace) {
        return find(namespace).orElseThrow(() -> new AccessControlException("no such namespace: " + namespace));
    }

    private static Namespace namespace(ResultSet rs, int row) throws SQLException {
        return new Namespace(rs.getString("name"), Namespace.Kind.valueOf(rs.getString("kind")),
                Visibility.valueOf(rs.getString("default_visibility")), Sql.instant(rs, "created_at"));
    }
}
