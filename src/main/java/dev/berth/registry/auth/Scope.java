package dev.berth.registry.auth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One entry of a token request's {@code scope} or a token's {@code access} claim:
 * {@code repository:team/app:pull,push} or {@code registry:catalog:*}. The name may itself hold a
 * {@code :} (a host with a port), so the type ends at the first colon and the actions start after
 * the last one.
 *
 * @param actions as named in the scope, unknown ones included (they are simply never granted)
 */
public record Scope(String type, String name, Set<String> actions) {

    public static final String REPOSITORY = "repository";
    public static final String REGISTRY = "registry";
    public static final String CATALOG = "catalog";

    public Scope {
        actions = Set.copyOf(actions);
    }

    /** The scope of the catalog. */
    public static Scope catalog() {
        return new Scope(REGISTRY, CATALOG, Set.of("*"));
    }

    /** Every scope in the values of a {@code scope} parameter; each value may hold several, space-separated. */
    public static List<Scope> parseAll(List<String> values) {
        List<Scope> scopes = new ArrayList<>();
        for (String value : values) {
            for (String part : value.trim().split("\\s+")) {
                Scope scope = parse(part);
                if (scope != null) {
                    scopes.add(scope);
                }
            }
        }
        return scopes;
    }

    /** A scope, or null when {@code text} is not one. */
    public static Scope parse(String text) {
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first <= 0 || last == first || last == text.length() - 1) {
            return null;
        }
        String type = text.substring(0, first);
        int plugin = type.indexOf('(');
        if (plugin > 0) {
            type = type.substring(0, plugin); // the deprecated resource class, repository(plugin)
        }
        Set<String> actions = new LinkedHashSet<>();
        for (String a : text.substring(last + 1).split(",")) {
            if (!a.isBlank()) {
                actions.add(a.trim());
            }
        }
        return actions.isEmpty() ? null : new Scope(type, text.substring(first + 1, last), actions);
    }

    /** The actions in a fixed order: pull, push, delete, then any others by name. */
    public List<String> orderedActions() {
        List<String> ordered = new ArrayList<>();
        for (Action a : Action.values()) {
            if (actions.contains(a.scopeName())) {
                ordered.add(a.scopeName());
            }
        }
        actions.stream().filter(a -> Action.fromScopeName(a) == null).sorted().forEach(ordered::add);
        return ordered;
    }

    /** {@code repository:NAME:pull,push}, as in a challenge. */
    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", orderedActions());
    }
}
