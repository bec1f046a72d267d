package dev.berth.registry.distribution;

import dev.berth.oci.OciErrorCode;
import dev.berth.registry.auth.AccessPolicy;
import dev.berth.registry.auth.Accounts;
import dev.berth.registry.auth.Action;
import dev.berth.registry.auth.AuthMode;
import dev.berth.registry.auth.AuthProperties;
import dev.berth.registry.auth.BasicCredentials;
import dev.berth.registry.auth.Caller;
import dev.berth.registry.auth.LoginThrottle;
import dev.berth.registry.auth.RegistryTokens;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Access control of {@code /v2}, applied once per request before its endpoint runs. The caller is
 * a bearer token (its {@code access} claim is what it may do: verified without touching the
 * database), Basic credentials (checked by {@link Accounts}, throttled, then asked of
 * {@link AccessPolicy}), or nobody. What the request needs ({@link V2Need}) is declared with
 * its endpoint's method: reads pull, deletes delete, anything that writes pushes (an upload's
 * status and cancel too); the catalog needs {@code registry:catalog:*}; the base {@code /v2/}
 * needs a caller who signed in or holds a token, so that {@code docker login} really checks the
 * credentials.
 *
 * <p>A refusal is always {@code 401} with a Bearer challenge, as distribution answers: clients
 * then fetch a token; with {@code error="insufficient_scope"} (credentials were accepted, the
 * rights are missing) docker, podman and skopeo report "denied: requested access to the resource
 * is denied". The answer depends only on the request and the caller's rights, never on whether
 * the repository exists, so a private repository looks exactly like a missing one.
 */
@Component
class V2Access {

    private final AccessPolicy policy;
    private final RegistryTokens tokens;
    private final Accounts accounts;
    private final LoginThrottle throttle;
    private final AuthProperties.Token settings;

    V2Access(AccessPolicy policy, RegistryTokens tokens, Accounts accounts, LoginThrottle throttle, AuthProperties properties) {
        this.policy = policy;
        this.tokens = tokens;
        this.accounts = accounts;
        this.throttle = throttle;
        this.settings = properties.token();
    }

    /**
     * Authenticates the request and checks that its caller may do what it asks.
     *
     * @param need what the route's method needs, as its endpoint declares it ({@link V2Method#need()})
     * @throws V2Denied 401 with a challenge, or 429 for an address that failed to sign in too often
     */
    V2Principal authorize(HttpServletRequest http, V2Route route, V2Need need) {
        if (policy.mode() == AuthMode.NONE) {
            return V2Principal.UNCHECKED;
        }
        V2Principal who = authenticate(http);
        boolean allowed = switch (need) {
            case SIGNED_IN -> who.identified();
            case CATALOG -> catalogAllowed(who);
            case PULL -> allows(who, route.name().value(), Action.PULL);
            case PUSH -> allows(who, route.name().value(), Action.PUSH);
            case DELETE -> allows(who, route.name().value(), Action.DELETE);
        };
        if (!allowed) {
            throw refusal(http, route, need, who);
        }
        return who;
    }

    /** Whether the caller may do {@code action} to {@code repository} (for a mount's source, say). */
    boolean allows(V2Principal who, String repository, Action action) {
        if (who.unchecked()) {
            return true;
        }
        if (who.hasToken()) {
            return who.grants().allows(repository, action);
        }
        // Anonymous may only pull: no need to ask the database about anything else.
        return who.caller().cap().contains(action) && policy.allowed(who.caller(), repository).contains(action);
    }

    /** The SQL condition that keeps the repositories the caller may pull, or null when all are. */
    AccessPolicy.PullableFilter pullableFilter(V2Principal who, String nameColumn) {
        if (who.unchecked()) {
            return null;
        }
        return policy.pullableFilter(callerOf(who), nameColumn);
    }

    private boolean catalogAllowed(V2Principal who) {
        if (who.hasToken()) {
            return who.grants().catalog();
        }
        return policy.mode() == AuthMode.ANONYMOUS_READ || !who.caller().anonymous();
    }

    /** The account behind a token, as it is now (for listings only: they may query the database). */
    private Caller callerOf(V2Principal who) {
        if (!who.hasToken()) {
            return who.caller();
        }
        if (who.name().isEmpty()) {
            return Caller.ANONYMOUS;
        }
        return accounts.find(who.name()).flatMap(a -> accounts.current(a.id())).orElse(Caller.ANONYMOUS);
    }

    private V2Principal authenticate(HttpServletRequest http) {
        String authorization = http.getHeader("Authorization");
        if (authorization == null) {
            return V2Principal.caller(Caller.ANONYMOUS);
        }
        String scheme = authorization.length() > 7 ? authorization.substring(0, 7).toLowerCase(Locale.ROOT) : "";
        if (scheme.equals("bearer ")) {
            try {
                RegistryTokens.Verified token = tokens.verify(authorization.substring(7).trim());
                return V2Principal.bearer(token.subject(), token.grants());
            } catch (RegistryTokens.InvalidToken e) {
                throw denied(http, null, "invalid_token", "invalid token: " + e.getMessage(), null);
            }
        }
        BasicCredentials basic = BasicCredentials.parse(authorization);
        if (basic == null) {
            return V2Principal.caller(Caller.ANONYMOUS);
        }
        String address = http.getRemoteAddr();
        try {
            throttle.beforeAttempt(address);
        } catch (LoginThrottle.TooManyFailures e) {
            throw new V2Denied(OciErrorCode.TOOMANYREQUESTS, e.getMessage(), null,
                    Map.of("Retry-After", Long.toString(e.retryAfter().toSeconds())));
        }
        Caller caller = accounts.authenticate(basic.username(), basic.secret()).orElse(null);
        if (caller == null) {
            throttle.failed(address);
            throw denied(http, null, null, "incorrect username or password", null);
        }
        throttle.succeeded(address);
        return V2Principal.caller(caller);
    }

    private V2Denied refusal(HttpServletRequest http, V2Route route, V2Need need, V2Principal who) {
        String scope;
        Object detail;
        if (need == V2Need.SIGNED_IN) {
            scope = null;
            detail = null;
        } else if (need == V2Need.CATALOG) {
            scope = "registry:catalog:*";
            detail = List.of(Map.of("Type", "registry", "Name", "catalog", "Action", "*"));
        } else {
            String action = need.name().toLowerCase(Locale.ROOT);
            // As distribution asks: a write needs pull and push (clients fetch both at once).
            scope = "repository:" + route.name() + ":" + (need == V2Need.PUSH ? "pull,push" : action);
            detail = List.of(Map.of("Type", "repository", "Name", route.name().value(), "Action", action));
        }
        if (who.presentedCredentials()) {
            return denied(http, scope, "insufficient_scope", "requested access to the resource is denied", detail);
        }
        return denied(http, scope, null, "authentication required", detail);
    }

    private V2Denied denied(HttpServletRequest http, String scope, String error, String message, Object detail) {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(realm(http))
                .append("\",service=\"").append(settings.service()).append('"');
        if (scope != null) {
            challenge.append(",scope=\"").append(scope).append('"');
        }
        if (error != null) {
            challenge.append(",error=\"").append(error).append('"');
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("WWW-Authenticate", challenge.toString());
        return new V2Denied(OciErrorCode.UNAUTHORIZED, message, detail, headers);
    }

    /** The configured realm, or this server's {@code /token} at the address the client used. */
    private String realm(HttpServletRequest http) {
        if (settings.realm() != null && !settings.realm().isBlank()) {
            return settings.realm();
        }
        String host = http.getHeader("Host");
        if (host == null || host.isEmpty() || host.indexOf('"') >= 0) {
            host = http.getServerName() + ":" + http.getServerPort();
        }
        return http.getScheme() + "://" + host + http.getContextPath() + "/token";
    }
}
