package dev.berth.registry.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.registry.RegistryProperties;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Issues and verifies the registry's bearer tokens: JWTs signed with ES256 by the server's own
 * key, as Docker's token auth specifies (claims iss, sub, aud, exp, nbf, iat, jti, access), plus
 * refresh tokens for the OAuth2 form, of a type of their own that never pass as access tokens.
 *
 * <p>Verification accepts nothing but ES256 under this server's key, issuer and audience. Every
 * {@code /v2} request with a token verifies it, so a verified token is remembered until it
 * expires: the next requests cost a map lookup instead of an ECDSA verification.
 */
@Component
public class RegistryTokens {

    static final JOSEObjectType ACCESS_TYPE = JOSEObjectType.JWT;
    static final JOSEObjectType REFRESH_TYPE = new JOSEObjectType("berth-refresh+jwt");
    /** Clocks of servers and clients differ a little. */
    static final Duration LEEWAY = Duration.ofSeconds(30);
    private static final Duration MIN_LIFETIME = Duration.ofSeconds(60);
    private static final int REMEMBER_AT_MOST = 10_000;

    private final AuthProperties.Token settings;
    private final Clock clock;
    private final ECKey jwk;
    private final ECDSASigner signer;
    private final ECDSAVerifier verifier;
    private final Map<String, Verified> remembered = new ConcurrentHashMap<>();

    @Autowired
    RegistryTokens(AuthProperties properties, RegistryProperties registry, Clock clock) {
        this(properties.token(), SigningKeyFile.loadOrCreate(keyFile(properties, registry)), clock);
    }

    RegistryTokens(AuthProperties.Token settings, SigningKeyFile.Pair key, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        try {
            ECKey publicJwk = new ECKey.Builder(Curve.P_256, key.publicKey()).build();
            this.jwk = new ECKey.Builder(publicJwk).keyID(publicJwk.computeThumbprint().toString()).build();
            this.signer = new ECDSASigner(key.privateKey());
            this.verifier = new ECDSAVerifier(key.publicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException("the token signing key cannot be used", e);
        }
    }

    static Path keyFile(AuthProperties properties, RegistryProperties registry) {
        Path configured = properties.token().signingKeyFile();
        return configured != null && !configured.toString().isEmpty() ? configured
                : registry.dataDir().resolve("auth").resolve("token-signing-key.pem");
    }

    /** The {@code kid} of every token: the RFC 7638 thumbprint of the public key. */
    public String keyId() {
        return jwk.getKeyID();
    }

    public String service() {
        return settings.service();
    }

    /** An access token just issued. */
    public record Issued(String token, Instant issuedAt, long expiresIn) {
    }

    /** What a verified access token says: who it was issued to ("" for anonymous) and what it grants. */
    public record Verified(String subject, Grants grants, Instant expiresAt) {

        public boolean anonymous() {
            return subject.isEmpty();
        }
    }

    /** A verified refresh token: the account, and the access token it was issued through, if any. */
    record Refresh(String subject, long userId, Long accessTokenId, String passwordFingerprint) {
    }

    /** Why a token was refused; the message is for logs and error descriptions. */
    public static final class InvalidToken extends Exception {
        InvalidToken(String message) {
            super(message);
        }
    }

    public Issued issue(String subject, List<Scope> access) {
        Instant now = now();
        Duration lifetime = settings.expiresIn().compareTo(MIN_LIFETIME) < 0 ? MIN_LIFETIME : settings.expiresIn();
        List<Map<String, Object>> claim = new ArrayList<>();
        for (Scope s : access) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", s.type());
            entry.put("name", s.name());
            entry.put("actions", s.orderedActions());
            claim.add(entry);
        }
        JWTClaimsSet claims = base(subject, now, lifetime).claim("access", claim).build();
        return new Issued(sign(ACCESS_TYPE, claims), now, lifetime.toSeconds());
    }

    String issueRefresh(String subject, long userId, Long accessTokenId, String passwordFingerprint) {
        JWTClaimsSet.Builder claims = base(subject, now(), settings.refreshExpiresIn()).claim("uid", userId);
        if (accessTokenId != null) {
            claims.claim("pat", accessTokenId);
        } else {
            claims.claim("pwh", passwordFingerprint);
        }
        return sign(REFRESH_TYPE, claims.build());
    }

    /** Verifies an access token; the {@code access} claim is what it grants. */
    public Verified verify(String token) throws InvalidToken {
        Verified known = remembered.get(token);
        if (known != null) {
            if (now().isBefore(known.expiresAt().plus(LEEWAY))) {
                return known;
            }
            remembered.remove(token);
        }
        JWTClaimsSet claims = verifiedClaims(token, ACCESS_TYPE);
        Verified verified = new Verified(subject(claims), Grants.of(access(claims)), claims.getExpirationTime().toInstant());
        if (remembered.size() >= REMEMBER_AT_MOST) {
            remembered.clear();
        }
        remembered.put(token, verified);
        return verified;
    }

    Refresh verifyRefresh(String token) throws InvalidToken {
        JWTClaimsSet claims = verifiedClaims(token, REFRESH_TYPE);
        try {
            Long userId = claims.getLongClaim("uid");
            if (userId == null) {
                throw new InvalidToken("the refresh token names no account");
            }
            return new Refresh(subject(claims), userId, claims.getLongClaim("pat"), claims.getStringClaim("pwh"));
        } catch (ParseException e) {
            throw new InvalidToken("malformed refresh token claims");
        }
    }

    private JWTClaimsSet verifiedClaims(String token, JOSEObjectType type) throws InvalidToken {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new InvalidToken("not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        // Checked before anything else: no "none", no HMAC keyed with the public key.
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            throw new InvalidToken("algorithm " + header.getAlgorithm() + " is not accepted");
        }
        if (!type.equals(header.getType())) {
            throw new InvalidToken("not " + (type == ACCESS_TYPE ? "an access" : "a refresh") + " token");
        }
        if (!keyId().equals(header.getKeyID())) {
            throw new InvalidToken("signed by another key");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new InvalidToken("bad signature");
            }
        } catch (JOSEException e) {
            throw new InvalidToken("bad signature");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidToken("malformed claims");
        }
        Instant now = now();
        if (!settings.issuer().equals(claims.getIssuer())) {
            throw new InvalidToken("issued by someone else");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(settings.service())) {
            throw new InvalidToken("issued for another service");
        }
        Date exp = claims.getExpirationTime();
        Date nbf = claims.getNotBeforeTime();
        if (exp == null || !now.isBefore(exp.toInstant().plus(LEEWAY))) {
            throw new InvalidToken("expired");
        }
        if (nbf == null || now.plus(LEEWAY).isBefore(nbf.toInstant())) {
            throw new InvalidToken("not valid yet");
        }
        return claims;
    }

    private JWTClaimsSet.Builder base(String subject, Instant now, Duration lifetime) {
        return new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(subject)
                .audience(settings.service())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
    }

    private String sign(JOSEObjectType type, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(type).keyID(keyId()).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }

    private static String subject(JWTClaimsSet claims) {
        return claims.getSubject() == null ? "" : claims.getSubject();
    }

    private static List<Scope> access(JWTClaimsSet claims) throws InvalidToken {
        Object claim = claims.getClaim("access");
        List<Scope> scopes = new ArrayList<>();
        if (claim == null) {
            return scopes;
        }
        if (!(claim instanceof List<?> entries)) {
            throw new InvalidToken("malformed access claim");
        }
        for (Object e : entries) {
            if (!(e instanceof Map<?, ?> entry) || !(entry.get("type") instanceof String type)
                    || !(entry.get("name") instanceof String name) || !(entry.get("actions") instanceof List<?> actions)) {
                throw new InvalidToken("malformed access claim");
            }
            LinkedHashSet<String> names = new LinkedHashSet<>();
            actions.forEach(a -> names.add(String.valueOf(a)));
            scopes.add(new Scope(type, name, names));
        }
        return scopes;
    }

    private Instant now() {
        return clock.instant();
    }
}
