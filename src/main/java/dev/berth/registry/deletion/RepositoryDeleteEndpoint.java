package dev.berth.registry.deletion;

import dev.berth.oci.OciErrorCode;
import dev.berth.oci.OciException;
import dev.berth.oci.RepositoryName;
import dev.berth.registry.auth.AccessPolicy;
import dev.berth.registry.auth.Accounts;
import dev.berth.registry.auth.Action;
import dev.berth.registry.auth.AuditAction;
import dev.berth.registry.auth.AuditLog;
import dev.berth.registry.auth.AuthMode;
import dev.berth.registry.auth.BasicCredentials;
import dev.berth.registry.auth.Caller;
import dev.berth.registry.auth.LoginThrottle;
import dev.berth.registry.auth.Names;
import dev.berth.registry.auth.Namespaces;
import dev.berth.registry.auth.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * {@code DELETE /api/v1/repositories/NAME} for scripts (NAME may contain slashes). Credentials
 * as {@code /v2} takes them: HTTP Basic with a password or an access token; outside Spring
 * Security (no session, no CSRF token). Who may: an administrator, or an administrator of the
 * repository's namespace, with a credential not capped below delete; anyone when
 * {@code berth.auth.mode} is {@code none}. 204 when deleted; otherwise a JSON {@code error}.
 */
@RestController
class RepositoryDeleteEndpoint {

    static final String PREFIX = "/api/v1/repositories/";

    private final RepositoryDeletion deletion;
    private final Accounts accounts;
    private final LoginThrottle throttle;
    private final Namespaces namespaces;
    private final AccessPolicy policy;
    private final AuditLog audit;

    RepositoryDeleteEndpoint(RepositoryDeletion deletion, Accounts accounts, LoginThrottle throttle, Namespaces namespaces,
                             AccessPolicy policy, AuditLog audit) {
        this.deletion = deletion;
        this.accounts = accounts;
        this.throttle = throttle;
        this.namespaces = namespaces;
        this.policy = policy;
        this.audit = audit;
    }

    @DeleteMapping(PREFIX + "**")
    ResponseEntity<Map<String, String>> delete(HttpServletRequest request) throws IOException {
        String raw = request.getRequestURI().substring(request.getContextPath().length() + PREFIX.length());
        String name = UriUtils.decode(raw, StandardCharsets.UTF_8);
        Caller caller;
        if (policy.mode() == AuthMode.NONE) {
            caller = Caller.ANONYMOUS;
        } else {
            BasicCredentials basic = BasicCredentials.parse(request.getHeader("Authorization"));
            if (basic == null) {
                return error(HttpStatus.UNAUTHORIZED, "authentication required: HTTP Basic with a password or an access token");
            }
            String address = request.getRemoteAddr();
            try {
                throttle.beforeAttempt(address);
            } catch (LoginThrottle.TooManyFailures e) {
                return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header("Retry-After", Long.toString(e.retryAfter().toSeconds()))
                        .contentType(MediaType.APPLICATION_JSON).body(Map.of("error", e.getMessage()));
            }
            caller = accounts.authenticate(basic.username(), basic.secret()).orElse(null);
            if (caller == null) {
                throttle.failed(address);
                return error(HttpStatus.UNAUTHORIZED, "incorrect username or password");
            }
            throttle.succeeded(address);
        }
        if (!RepositoryName.isValid(name)) {
            return error(HttpStatus.BAD_REQUEST, "not a repository name: " + name);
        }
        if (policy.mode() != AuthMode.NONE && !mayDelete(caller, name)) {
            return error(HttpStatus.FORBIDDEN, "only administrators of namespace " + Names.namespaceOf(name)
                    + " (or of the registry) may delete repository " + name);
        }
        try {
            RepositoryDeletion.Deleted deleted = deletion.delete(RepositoryName.of(name), d -> audit.record(caller,
                    AuditAction.REPOSITORY_DELETE, "repository " + name, request.getRemoteAddr(), d.toString()));
            return ResponseEntity.noContent().header("Berth-Deleted", deleted.toString()).build();
        } catch (OciException e) {
            if (e.code() == OciErrorCode.NAME_UNKNOWN) {
                return error(HttpStatus.NOT_FOUND, e.getMessage());
            }
            if (e.code() == OciErrorCode.DENIED) {
                return error(HttpStatus.CONFLICT, e.getMessage());
            }
            throw e;
        }
    }

    private boolean mayDelete(Caller caller, String repository) {
        if (!caller.cap().contains(Action.DELETE)) {
            return false;
        }
        return caller.admin() || (caller.userId() != null && namespaces.roleOf(caller.userId(), Names.namespaceOf(repository))
                .filter(r -> r == Role.ADMIN).isPresent());
    }

    private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.header("WWW-Authenticate", "Basic realm=\"berth\"");
        }
        return response.body(Map.of("error", message));
    }
}
