package dev.berth.registry.ui;

import dev.berth.registry.auth.AccessTokens;
import dev.berth.registry.auth.Accounts;
import dev.berth.registry.auth.Caller;
import dev.berth.registry.auth.LoginThrottle;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Signing in to the web UI: a person's name and password, checked by {@link Accounts} behind the
 * {@link LoginThrottle} of the client's address. Access tokens are for clients (docker login), not
 * for the UI, so a token in the password field is refused.
 */
@Component
class SignIn implements AuthenticationProvider {

    /**
     * What the session keeps: the account's id, and a fingerprint of its password hash then; its
     * name and role are read again on every request, and a changed password ends the session.
     */
    record SignedIn(long userId, String username, String passwordFingerprint) implements Serializable {
        @Override
        public String toString() {
            return username;
        }
    }

    private final Accounts accounts;
    private final LoginThrottle throttle;

    SignIn(Accounts accounts, LoginThrottle throttle) {
        this.accounts = accounts;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String address = authentication.getDetails() instanceof WebAuthenticationDetails d ? d.getRemoteAddress() : "unknown";
        try {
            throttle.beforeAttempt(address);
        } catch (LoginThrottle.TooManyFailures e) {
            // The login page says how long to wait (and answers 429) after the redirect.
            throw new BadCredentialsException(e.getMessage());
        }
        String username = authentication.getName();
        String password = authentication.getCredentials() == null ? "" : authentication.getCredentials().toString();
        Optional<Caller> caller = AccessTokens.looksLikeToken(password) ? Optional.empty() : accounts.authenticate(username, password);
        if (caller.isEmpty()) {
            throttle.failed(address);
            throw new BadCredentialsException("wrong user name or password");
        }
        throttle.succeeded(address);
        Caller c = caller.get();
        var authorities = c.admin() ? List.of(new SimpleGrantedAuthority("ROLE_USER"), new SimpleGrantedAuthority("ROLE_ADMIN"))
                : List.of(new SimpleGrantedAuthority("ROLE_USER"));
        return UsernamePasswordAuthenticationToken.authenticated(
                new SignedIn(c.userId(), c.username(), accounts.passwordFingerprint(c.userId())), null, authorities);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
