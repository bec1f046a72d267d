package dev.berth.registry.auth;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What a caller does to a repository, as named in Docker token scopes. */
public enum Action {
    PULL,
    PUSH,
    DELETE;

    /** The name in a scope or a token's {@code access} claim: {@code pull}, {@code push}, {@code delete}. */
    public String scopeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action a scope names, or null for one Berth does not know (such as {@code *}). */
    public static Action fromScopeName(String name) {
        for (Action a : values()) {
            if (a.scopeName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** Parses {@code pull,push}; unknown names are left out. */
    public static Set<Action> parseList(String list) {
        EnumSet<Action> actions = EnumSet.noneOf(Action.class);
        if (list != null) {
            for (String part : list.split(",")) {
                Action a = fromScopeName(part.trim());
                if (a != null) {
                    actions.add(a);
                }
            }
        }
        return actions;
    }

    /** Writes {@code pull,push} in declaration order. */
    public static String formatList(Set<Action> actions) {
        return actions.stream().sorted().map(Action::scopeName).collect(Collectors.joining(","));
    }
}
