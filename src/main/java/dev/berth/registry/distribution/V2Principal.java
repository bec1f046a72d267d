package dev.berth.registry.distribution;

import dev.berth.registry.auth.Caller;
import dev.berth.registry.auth.Grants;

/**
 * Who a {@code /v2} request comes from, as {@link V2Access} found out.
 *
 * @param name      the account's name, empty when anonymous
 * @param grants    what the bearer token grants; null when no token was sent
 * @param caller    the caller of Basic credentials, or anonymous; null with a token
 * @param unchecked access control is off ({@code berth.auth.mode=none}): everything is allowed
 */
record V2Principal(String name, Grants grants, Caller caller, boolean unchecked) {

    static final V2Principal UNCHECKED = new V2Principal("", null, Caller.ANONYMOUS, true);

    static V2Principal bearer(String subject, Grants grants) {
        return new V2Principal(subject, grants, null, false);
    }

    static V2Principal caller(Caller caller) {
        return new V2Principal(caller.username(), null, caller, false);
    }

    boolean hasToken() {
        return grants != null;
    }

    /** Signed in with a password or access token, or holding a valid token (an anonymous one too). */
    boolean identified() {
        return unchecked || hasToken() || !caller.anonymous();
    }

    /** Credentials (or a token) were presented and accepted: a refusal is then a denial, not a request to sign in. */
    boolean presentedCredentials() {
        return hasToken() || (caller != null && !caller.anonymous());
    }

    /** The name written in audit events. */
    String displayName() {
        return name.isEmpty() ? "anonymous" : name;
    }
}
