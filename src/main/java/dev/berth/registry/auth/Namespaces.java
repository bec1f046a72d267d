package dev.berth.registry.auth;

import dev.berth.registry.metadata.AccountRows;
import dev.berth.registry.metadata.NamespaceRows;
import dev.berth.registry.metadata.Transactions;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Namespaces (users' own and organizations), their members' roles, and which repositories are
 * public. A user and an organization never share a name: both are namespaces.
 */
@Service
public class Namespaces {

    private final NamespaceRows rows;
    private final AccountRows accounts;
    private final Transactions transactions;
    private final AuthProperties properties;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    Namespaces(NamespaceRows rows, AccountRows accounts, Transactions transactions, AuthProperties properties, Clock clock) {
        this.rows = rows;
        this.accounts = accounts;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    /** Creates an organization; {@code creatorUserId} becomes its first administrator. */
    public Namespace createOrganization(String name, long creatorUserId) {
        return transactions.joining(() -> {
            Names.requireNamespace(name, "an organization name");
            Namespace org = insert(name, Namespace.Kind.ORGANIZATION);
            setMember(name, creatorUserId, Role.ADMIN);
            return org;
        });
    }

    void createPersonal(String username, long userId) {
        insert(username, Namespace.Kind.USER);
        rows.setMember(username, userId, Role.ADMIN.name());
    }

    private Namespace insert(String name, Namespace.Kind kind) {
        Namespace ns = new Namespace(name, kind, properties.defaultVisibility(), clock.instant());
        try {
            rows.insert(name, kind.name(), ns.defaultVisibility().name(), ns.createdAt());
        } catch (DuplicateKeyException e) {
            throw new AccessControlException("the name " + name + " is taken");
        }
        return ns;
    }

    public Optional<Namespace> find(String name) {
        return rows.byName(name).map(Namespaces::namespace);
    }

    /** Every namespace by name. */
    public List<Namespace> list() {
        return rows.all().stream().map(Namespaces::namespace).toList();
    }

    /** The organizations a user belongs to, or all of them for {@code null}. */
    public List<Namespace> organizations(Long userId) {
        return rows.organizations(userId).stream().map(Namespaces::namespace).toList();
    }

    public List<Member> members(String namespace) {
        return rows.members(namespace).stream()
                .map(m -> new Member(m.userId(), m.username(), Role.valueOf(m.role()), m.robot()))
                .toList();
    }

    /** The role of each namespace the user is a member of. */
    public Map<String, Role> rolesOf(long userId) {
        Map<String, Role> roles = new HashMap<>();
        rows.rolesOf(userId).forEach((namespace, role) -> roles.put(namespace, Role.valueOf(role)));
        return roles;
    }

    /** The user's role in one namespace, if any. */
    public Optional<Role> roleOf(long userId, String namespace) {
        return rows.roleOf(userId, namespace).map(Role::valueOf);
    }

    /** Adds a member or changes a member's role. */
    public void setMember(String namespace, long userId, Role role) {
        transactions.joining(() -> {
            requireExists(namespace);
            rows.setMember(namespace, userId, role.name());
            if (role != Role.ADMIN) {
                requireAnAdmin(namespace);
            }
            changed();
        });
    }

    public void removeMember(String namespace, long userId) {
        transactions.joining(() -> {
            if (!rows.removeMember(namespace, userId)) {
                throw new AccessControlException("not a member of " + namespace);
            }
            requireAnAdmin(namespace);
            changed();
        });
    }

    private void requireAnAdmin(String namespace) {
        long admins = rows.countWithRole(namespace, Role.ADMIN.name());
        if (admins == 0) {
            // Thrown inside the transaction, so the change that left nobody in charge is undone.
            throw new AccessControlException(namespace + " would have no administrator left");
        }
    }

    public void setDefaultVisibility(String namespace, Visibility visibility) {
        transactions.joining(() -> {
            requireExists(namespace);
            rows.setDefaultVisibility(namespace, visibility.name());
            changed();
        });
    }

    /** Deletes an organization with its memberships and robot accounts; its repositories stay. */
    public void deleteOrganization(String name) {
        transactions.joining(() -> {
            Namespace ns = requireExists(name);
            if (ns.kind() != Namespace.Kind.ORGANIZATION) {
                throw new AccessControlException(name + " is a user's namespace, not an organization");
            }
            accounts.deleteRobotsOf(name);
            rows.delete(name);
            changed();
        });
    }

    void deletePersonal(String username) {
        rows.deletePersonal(username);
    }

    /** Makes one repository public or private, whatever its namespace's default. */
    public void setVisibility(String repository, Visibility visibility) {
        transactions.joining(() -> {
            rows.setRepositoryVisibility(repository, visibility.name());
            changed();
        });
    }

    /** A repository's visibility: its own, else its namespace's default, else the configured default. */
    public Visibility visibility(String repository) {
        Optional<String> own = rows.repositoryVisibility(repository);
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

    private static Namespace namespace(NamespaceRows.Row row) {
        return new Namespace(row.name(), Namespace.Kind.valueOf(row.kind()), Visibility.valueOf(row.defaultVisibility()),
                row.createdAt());
    }
}
