package dev.berth.registry.auth;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access control settings under {@code berth.auth.*} (see config/application.yml).
 *
 * @param mode              who may do what without signing in
 * @param adminUsername     the administrator created on the first start
 * @param adminPassword     its password; when empty, one is generated and printed once
 * @param defaultVisibility what a repository is when neither it nor its namespace says otherwise
 * @param token             the bearer tokens the token endpoint issues
 * @param loginThrottle     how repeated failed sign-ins from one address are slowed, then refused
 */
@ConfigurationProperties("berth.auth")
public record AuthProperties(
        @DefaultValue("token") AuthMode mode,
        @DefaultValue("admin") String adminUsername,
        String adminPassword,
        @DefaultValue("private") Visibility defaultVisibility,
        @DefaultValue Token token,
        @DefaultValue LoginThrottle loginThrottle) {

    /**
     * @param realm          the token endpoint's absolute URL sent in challenges; when empty, derived
     *                       from the address the client used ({@code <scheme>://<host>/token})
     * @param service        the {@code service} of challenges and the {@code aud} of tokens
     * @param issuer         the {@code iss} of tokens
     * @param expiresIn      how long an access token lives (at least 60 s, as clients expect)
     * @param refreshExpiresIn how long a refresh token (OAuth2 form, {@code access_type=offline}) lives
     * @param signingKeyFile the EC P-256 key pair (PEM: PKCS#8 private and X.509 public block); generated and kept on first start
     *                       when missing; empty means {@code <data-dir>/auth/token-signing-key.pem}
     */
    public record Token(
            String realm,
            @DefaultValue("berth") String service,
            @DefaultValue("berth") String issuer,
            @DefaultValue("5m") Duration expiresIn,
            @DefaultValue("30d") Duration refreshExpiresIn,
            Path signingKeyFile) {
    }

    /**
     * @param slowAfter   failures within {@code window} after which each further attempt waits
     * @param refuseAfter failures within {@code window} after which attempts get 429 until it passes
     * @param window      how long a failure counts against an address
     * @param delay       the wait added to each attempt once slowed
     */
    public record LoginThrottle(
            @DefaultValue("5") int slowAfter,
            @DefaultValue("10") int refuseAfter,
            @DefaultValue("5m") Duration window,
            @DefaultValue("1s") Duration delay) {
    }
}
