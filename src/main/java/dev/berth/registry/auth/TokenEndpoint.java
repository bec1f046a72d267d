package dev.berth.registry.auth;

import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import jakarta.servlet.http.HttpServletRequest;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /token}: Docker's token endpoint. {@code GET} with Basic credentials or none (anonymous)
 * and repeated {@code scope}s; and the OAuth2 {@code POST} form with {@code grant_type=password}
 * ({@code access_type=offline} for a refresh token) or {@code refresh_token}. The token grants the
 * intersection of what was asked and what {@link AccessPolicy} allows; a partial grant is no error.
 *
 * <p>{@code GET} ignores {@code offline_token=true}, as Docker Hub's token server does: docker
 * login sends it, and would keep the refresh token as the {@code identitytoken} of its
 * config.json in place of the credentials, which podman, skopeo and buildah reading that file
 * then cannot use ("auth file contains an Identity token"). Without one, docker keeps the user
 * name and secret, which every client reads.
 */
@RestController
class TokenEndpoint {

    private final RegistryTokens tokens;
    private final Accounts accounts;
    private final AccessTokens accessTokens;
    private final AccessPolicy policy;
    private final LoginThrottle throttle;

    TokenEndpoint(RegistryTokens tokens, Accounts accounts, AccessTokens accessTokens, AccessPolicy policy, LoginThrottle throttle) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.accessTokens = accessTokens;
        this.policy = policy;
        this.throttle = throttle;
    }

    /** Who a token is issued to; {@code accessTokenId} when they signed in with an access token. */
    private record SignedIn(Caller caller, Long accessTokenId) {
    }

    /** A sign-in refused, and what to tell the client. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private interface Credential {
        SignedIn check() throws Refused;
    }

    @GetMapping("/token")
    ResponseEntity<Object> get(@RequestParam MultiValueMap<String, String> params, HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        BasicCredentials basic = BasicCredentials.parse(authorization);
        if (authorization != null && basic == null) {
            return error(HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "only Basic credentials are accepted here");
        }
        String account = params.getFirst("account");
        if (basic != null && account != null && !account.isEmpty() && !account.equals(basic.username())) {
            return error(HttpStatus.BAD_REQUEST, "UNSUPPORTED", "account does not match the user name of the credentials");
        }
        Credential credential = basic == null ? null : () -> password(basic.username(), basic.secret());
        return answer(request, params.getFirst("service"), params.getOrDefault("scope", List.of()), credential, false);
    }

    @PostMapping(path = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    ResponseEntity<Object> post(@RequestParam MultiValueMap<String, String> params, HttpServletRequest request) {
        String grantType = params.getFirst("grant_type");
        Credential credential;
        boolean offline;
        if ("password".equals(grantType)) {
            String username = params.getFirst("username");
            String password = params.getFirst("password");
            credential = () -> password(username, password);
            offline = "offline".equals(params.getFirst("access_type"));
        } else if ("refresh_token".equals(grantType)) {
            String refreshToken = params.getFirst("refresh_token");
            credential = () -> refresh(refreshToken);
            offline = false; // the client keeps the refresh token it has
        } else {
            return error(HttpStatus.BAD_REQUEST, "UNSUPPORTED", "grant_type must be password or refresh_token");
        }
        return answer(request, params.getFirst("service"), params.getOrDefault("scope", List.of()), credential, offline);
    }

    private ResponseEntity<Object> answer(HttpServletRequest request, String service, List<String> scopes,
            Credential credential, boolean offline) {
        if (service != null && !service.isEmpty() && !service.equals(tokens.service())) {
            return error(HttpStatus.BAD_REQUEST, "UNSUPPORTED", "unknown service " + shorten(service)
                    + "; this registry's service is " + tokens.service());
        }
        SignedIn who = new SignedIn(Caller.ANONYMOUS, null);
        if (credential != null) {
            String address = request.getRemoteAddr();
            try {
                throttle.beforeAttempt(address);
                who = credential.check();
                throttle.succeeded(address);
            } catch (LoginThrottle.TooManyFailures e) {
                return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                        .header("Retry-After", Long.toString(e.retryAfter().toSeconds()))
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(envelope("TOOMANYREQUESTS", e.getMessage()));
            } catch (Refused e) {
                throttle.failed(address);
                return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                        .header("WWW-Authenticate", "Basic realm=\"" + tokens.service() + "\"")
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(envelope("UNAUTHORIZED", e.getMessage()));
            }
        }
        Caller caller = who.caller();
        RegistryTokens.Issued issued = tokens.issue(caller.username(), grant(caller, Scope.parseAll(scopes)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("access_token", issued.token());
        body.put("expires_in", issued.expiresIn());
        body.put("issued_at", DateTimeFormatter.ISO_INSTANT.format(issued.issuedAt().truncatedTo(ChronoUnit.SECONDS)));
        if (offline && !caller.anonymous()) {
            String fingerprint = who.accessTokenId() == null ? accounts.passwordFingerprint(caller.userId()) : null;
            body.put("refresh_token", tokens.issueRefresh(caller.username(), caller.userId(), who.accessTokenId(), fingerprint));
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /** The requested scopes cut down to what the caller may do; scopes granting nothing are left out. */
    private List<Scope> grant(Caller caller, List<Scope> requested) {
        Map<String, Set<Action>> repositories = new LinkedHashMap<>();
        boolean catalog = false;
        for (Scope s : requested) {
            if (s.type().equals(Scope.REPOSITORY) && validName(s.name())) {
                Set<Action> wanted = s.actions().contains("*") ? EnumSet.allOf(Action.class)
                        : Action.parseList(String.join(",", s.actions()));
                wanted.retainAll(policy.allowed(caller, s.name()));
                repositories.computeIfAbsent(s.name(), n -> EnumSet.noneOf(Action.class)).addAll(wanted);
            } else if (s.equals(Scope.catalog())) {
                // Anyone signed in may ask for the catalog: it lists only what they may pull.
                catalog = policy.mode() != AuthMode.TOKEN
                        || (!caller.anonymous() && caller.cap().contains(Action.PULL));
            }
        }
        List<Scope> granted = new ArrayList<>();
        repositories.forEach((name, actions) -> {
            if (!actions.isEmpty()) {
                granted.add(new Scope(Scope.REPOSITORY, name, actions.stream()
                        .map(Action::scopeName).collect(Collectors.toSet())));
            }
        });
        if (catalog) {
            granted.add(Scope.catalog());
        }
        return granted;
    }

    private SignedIn password(String username, String secret) throws Refused {
        Caller caller = accounts.authenticate(username, secret)
                .orElseThrow(() -> new Refused("incorrect username or password"));
        Long tokenId = AccessTokens.looksLikeToken(secret)
                ? accessTokens.match(secret).map(AccessToken::id).orElse(null) : null;
        return new SignedIn(caller, tokenId);
    }

    private SignedIn refresh(String refreshToken) throws Refused {
        if (refreshToken == null || refreshToken.isEmpty()) {
            throw new Refused("no refresh_token given");
        }
        RegistryTokens.Refresh r;
        try {
            r = tokens.verifyRefresh(refreshToken);
        } catch (RegistryTokens.InvalidToken e) {
            throw new Refused("invalid refresh token: " + e.getMessage());
        }
        Caller account = accounts.current(r.userId()).filter(c -> c.username().equals(r.subject()))
                .orElseThrow(() -> new Refused("invalid refresh token: the account is gone or disabled"));
        if (r.accessTokenId() != null) {
            // Issued through an access token: lives while that token does, with its scopes.
            AccessToken token = accessTokens.live(r.accessTokenId()).filter(t -> t.userId() == r.userId())
                    .orElseThrow(() -> new Refused("invalid refresh token: its access token was revoked or expired"));
            return new SignedIn(new Caller(account.userId(), account.username(), account.admin(), token.scopes()), token.id());
        }
        if (!accounts.passwordFingerprint(r.userId()).equals(r.passwordFingerprint())) {
            throw new Refused("invalid refresh token: the password has changed since");
        }
        return new SignedIn(account, null);
    }

    private static boolean validName(String name) {
        try {
            RepositoryName.of(name);
            return true;
        } catch (OciException e) {
            return false;
        }
    }

    private static ResponseEntity<Object> error(HttpStatus status, String code, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(envelope(code, message));
    }

    private static Map<String, Object> envelope(String code, String message) {
        return Map.of("errors", List.of(Map.of("code", code, "message", message)));
    }

    private static String shorten(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
