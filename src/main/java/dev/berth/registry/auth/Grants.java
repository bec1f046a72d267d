package dev.berth.registry.auth;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a bearer token allows: its {@code access} claim, indexed for the one lookup each request makes.
 *
 * @param repositories the actions granted on each repository
 * @param catalog      whether {@code registry:catalog:*} was granted
 */
public record Grants(Map<String, Set<Action>> repositories, boolean catalog) {

    public static final Grants NONE = new Grants(Map.of(), false);

    public Grants {
        repositories = Map.copyOf(repositories);
    }

    /** The grants a list of scopes makes; unknown types and actions grant nothing. */
    public static Grants of(List<Scope> scopes) {
        Map<String, Set<Action>> repositories = new LinkedHashMap<>();
        boolean catalog = false;
        for (Scope s : scopes) {
            if (s.type().equals(Scope.REPOSITORY)) {
                Set<Action> actions = repositories.computeIfAbsent(s.name(), n -> EnumSet.noneOf(Action.class));
                s.actions().stream().map(Action::fromScopeName).filter(a -> a != null).forEach(actions::add);
            } else if (s.type().equals(Scope.REGISTRY) && s.name().equals(Scope.CATALOG) && s.actions().contains("*")) {
                catalog = true;
            }
        }
        repositories.values().removeIf(Set::isEmpty);
        return new Grants(repositories, catalog);
    }

    public Set<Action> on(String repository) {
        return repositories.getOrDefault(repository, Set.of());
    }

    public boolean allows(String repository, Action action) {
        return on(repository).contains(action);
    }
}
