package dev.berth.registry.auth;

import java.util.regex.Pattern;

/**
 * The grammar of user and organization names. Each is a namespace, the first component of a
 * repository name, so it follows that component's grammar, with a bound that keeps it readable.
 */
public final class Names {

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern ROBOT = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");

    private Names() {
    }

    /** Throws {@link AccessControlException} unless {@code name} can be a user or organization name. */
    public static String requireNamespace(String name, String what) {
        if (name == null || name.length() < 2 || name.length() > 64 || !NAMESPACE.matcher(name).matches()) {
            throw new AccessControlException(what + " must be 2 to 64 lower-case letters, digits and . _ -"
                    + " (starting and ending with a letter or digit): " + shorten(name));
        }
        return name;
    }

    /** A robot's own part of its name ({@code ci} in {@code team+ci}). */
    public static String requireRobotName(String name) {
        if (name == null || name.isEmpty() || name.length() > 64 || !ROBOT.matcher(name).matches()) {
            throw new AccessControlException("a robot name must be 1 to 64 lower-case letters, digits and . _ -: "
                    + shorten(name));
        }
        return name;
    }

    /** The namespace of a repository: its first path component. */
    public static String namespaceOf(String repository) {
        int slash = repository.indexOf('/');
        return slash < 0 ? repository : repository.substring(0, slash);
    }

    private static String shorten(String s) {
        if (s == null) {
            return "(none)";
        }
        return s.length() > 70 ? s.substring(0, 70) + "…" : s;
    }
}
