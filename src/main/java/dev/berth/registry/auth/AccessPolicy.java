package dev.berth.registry.auth;

import dev.berth.registry.metadata.NamespaceRows;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Who may do what to which repository. Like Docker Hub: a namespace's members act in it by their
 * role (a user administers their own namespace), administrators act everywhere, and anyone may
 * pull a public repository. The credential caps the answer: a pull-only token pulls, whoever owns it.
 *
 * <p>A private repository must look exactly like a missing one to whoever may not pull it, so an
 * outsider's answer never depends on whether a repository exists: anonymous pull of a public
 * repository is granted only once it exists, and nothing else looks at existence.
 */
@Service
public class AccessPolicy {

    private final AuthProperties properties;
    private final Namespaces namespaces;
    private final NamespaceRows rows;

    AccessPolicy(AuthProperties properties, Namespaces namespaces, NamespaceRows rows) {
        this.properties = properties;
        this.namespaces = namespaces;
        this.rows = rows;
    }

    public AuthMode mode() {
        return properties.mode();
    }

    /** What {@code caller} may do to {@code repository} (which need not exist yet). */
    public Set<Action> allowed(Caller caller, String repository) {
        if (properties.mode() == AuthMode.NONE) {
            return EnumSet.allOf(Action.class);
        }
        EnumSet<Action> actions = EnumSet.noneOf(Action.class);
        if (caller.admin()) {
            actions.addAll(EnumSet.allOf(Action.class));
        } else if (!caller.anonymous()) {
            namespaces.roleOf(caller.userId(), Names.namespaceOf(repository)).ifPresent(r -> actions.addAll(r.actions()));
        }
        if (!actions.contains(Action.PULL) && publiclyPullable(repository)) {
            actions.add(Action.PULL);
        }
        actions.retainAll(caller.cap());
        return actions;
    }

    public boolean mayPull(Caller caller, String repository) {
        return allowed(caller, repository).contains(Action.PULL);
    }

    private boolean publiclyPullable(String repository) {
        if (properties.mode() == AuthMode.ANONYMOUS_READ) {
            return true;
        }
        return rows.repositoryExists(repository) && namespaces.visibility(repository) == Visibility.PUBLIC;
    }

    /** Whether {@code caller} may pull every repository there is (and so may see registry-wide totals). */
    public boolean pullsEverything(Caller caller) {
        return properties.mode() != AuthMode.TOKEN || (caller.admin() && caller.cap().contains(Action.PULL));
    }

    /**
     * An SQL condition that holds for the repositories {@code caller} may pull, for listings (the
     * catalog, the web UI) that must show nothing else.
     *
     * @param nameColumn the column holding the repository name, e.g. {@code r.name}
     */
    public PullableFilter pullableFilter(Caller caller, String nameColumn) {
        if (pullsEverything(caller)) {
            return EVERYTHING;
        }
        if (!caller.cap().contains(Action.PULL)) {
            return PullableFilter.of(NamespaceRows.NO_REPOSITORY);
        }
        List<String> mine = caller.anonymous() ? List.of()
                : namespaces.rolesOf(caller.userId()).keySet().stream().sorted().collect(Collectors.toList());
        return PullableFilter.of(NamespaceRows.publicOrIn(nameColumn, properties.defaultVisibility().name(), mine));
    }

    /**
     * @param sql    a condition to AND into a query's WHERE clause
     * @param params the named parameters it uses (names start with {@code pullable})
     */
    public record PullableFilter(String sql, Map<String, Object> params) {
        private static PullableFilter of(NamespaceRows.Condition condition) {
            return new PullableFilter(condition.sql(), condition.params());
        }
    }

    /** The filter of a caller who may pull every repository. */
    public static final PullableFilter EVERYTHING = PullableFilter.of(NamespaceRows.EVERY_REPOSITORY);
}
