package dev.berth.registry.auth;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who is making a request, as far as access control cares.
 *
 * @param userId   the account's id, null when anonymous
 * @param username the account's name, empty when anonymous
 * @param admin    an administrator may do anything anywhere
 * @param cap      the most this caller may do with the credential it used: every action after a
 *                 password, the token's scopes after an access token
 */
public record Caller(Long userId, String username, boolean admin, Set<Action> cap) {

    /** Someone who did not sign in. */
    public static final Caller ANONYMOUS = new Caller(null, "", false, EnumSet.of(Action.PULL));

    public Caller {
        cap = cap.isEmpty() ? EnumSet.noneOf(Action.class) : EnumSet.copyOf(cap);
    }

    public boolean anonymous() {
        return userId == null;
    }

    /** The name written in audit events and logs. */
    public String displayName() {
        return anonymous() ? "anonymous" : username;
    }
}
