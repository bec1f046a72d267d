package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issued tokens, and every way a token is refused (the key file: {@link SigningKeyFileTest}). */
class RegistryTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-28T01:00:00Z");

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(NOW);

    @Test
    void anIssuedTokenCarriesTheSpecifiedClaimsAndVerifies() throws Exception {
        RegistryTokens tokens = tokens(key("a"), "berth", "berth");
        RegistryTokens.Issued issued = tokens.issue("alice", List.of(
                new Scope("repository", "alice/app", Set.of("push", "pull")), Scope.catalog()));

        SignedJWT jwt = SignedJWT.parse(issued.token());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(tokens.keyId()).hasSize(43);
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("berth");
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getAudience()).containsExactly("berth");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.toJSONObject().get("access").toString())
                .isEqualTo("[{type=repository, name=alice/app, actions=[pull, push]}, {type=registry, name=catalog, actions=[*]}]");
        assertThat(issued.expiresIn()).isEqualTo(300);

        RegistryTokens.Verified verified = tokens.verify(issued.token());
        assertThat(verified.subject()).isEqualTo("alice");
        assertThat(verified.grants().on("alice/app")).containsExactlyInAnyOrder(Action.PULL, Action.PUSH);
        assertThat(verified.grants().on("alice/other")).isEmpty();
        assertThat(verified.grants().catalog()).isTrue();
        assertThat(tokens.verify(tokens.issue("", List.of()).token()).anonymous()).isTrue();
    }

    @Test
    void aTamperedPayloadOrSignatureIsRefused() throws Exception {
        RegistryTokens tokens = tokens(key("a"), "berth", "berth");
        String token = tokens.issue("alice", List.of(new Scope("repository", "alice/app", Set.of("pull")))).token();
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("alice/app", "bob/app1");
        String otherPayload = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertRefused(tokens, otherPayload, "bad signature");

        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[10] ^= 1;
        assertRefused(tokens, parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature),
                "bad signature");
        assertRefused(tokens, parts[0] + "." + parts[1] + ".", "not a signed JWT");
        assertRefused(tokens, "not-a-token", "not a signed JWT");
        assertThat(tokens.verify(token).subject()).as("the original still verifies").isEqualTo("alice");
    }

    @Test
    void algorithmNoneAndHmacKeyedWithThePublicKeyAreRefused() throws Exception {
        RegistryTokens tokens = tokens(key("a"), "berth", "berth");
        String token = tokens.issue("alice", List.of(new Scope("repository", "alice/app", Set.of("pull")))).token();
        String payload = token.split("\\.")[1];
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + tokens.keyId() + "\"}").getBytes(StandardCharsets.UTF_8));
        assertRefused(tokens, none + "." + payload + ".", "not a signed JWT");

        SigningKeyFile.Pair key = key("a");
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(tokens.keyId())
                .type(RegistryTokens.ACCESS_TYPE).build(), SignedJWT.parse(token).getJWTClaimsSet());
        hmac.sign(new MACSigner(java.util.Arrays.copyOf(key.publicKey().getEncoded(), 91)));
        assertRefused(tokens, hmac.serialize(), "algorithm HS256 is not accepted");
    }

    @Test
    void expiredAndNotYetValidTokensAreRefusedBeyondTheLeeway() throws Exception {
        RegistryTokens tokens = tokens(key("a"), "berth", "berth");
        String token = tokens.issue("alice", List.of()).token();
        assertThat(tokens.verify(token).subject()).isEqualTo("alice");

        clock.set(NOW.plus(Duration.ofMinutes(5)).plus(RegistryTokens.LEEWAY).minusSeconds(1));
        assertThat(tokens.verify(token).subject()).as("within the leeway").isEqualTo("alice");
        clock.set(NOW.plus(Duration.ofMinutes(5)).plus(RegistryTokens.LEEWAY));
        assertRefused(tokens, token, "expired");
        assertRefused(tokens(key("a"), "berth", "berth"), token, "expired");

        clock.set(NOW.minus(RegistryTokens.LEEWAY).minusSeconds(1));
        assertRefused(tokens(key("a"), "berth", "berth"), token, "not valid yet");
    }

    @Test
    void aTokenForAnotherServiceOrFromAnotherIssuerIsRefused() throws Exception {
        RegistryTokens ours = tokens(key("a"), "berth", "berth");
        assertRefused(ours, tokens(key("a"), "other-service", "berth").issue("alice", List.of()).token(),
                "issued for another service");
        assertRefused(ours, tokens(key("a"), "berth", "someone-else").issue("alice", List.of()).token(),
                "issued by someone else");
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefusedEvenUnderOurKeyId() throws Exception {
        RegistryTokens ours = tokens(key("a"), "berth", "berth");
        RegistryTokens theirs = tokens(key("b"), "berth", "berth");
        assertThat(theirs.keyId()).isNotEqualTo(ours.keyId());
        assertRefused(ours, theirs.issue("alice", List.of()).token(), "signed by another key");

        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ours.keyId())
                .type(RegistryTokens.ACCESS_TYPE).build(),
                new JWTClaimsSet.Builder().issuer("berth").audience("berth").subject("admin")
                        .expirationTime(Date.from(NOW.plusSeconds(60))).notBeforeTime(Date.from(NOW)).build());
        forged.sign(new ECDSASigner(key("b").privateKey()));
        assertRefused(ours, forged.serialize(), "bad signature");
    }

    @Test
    void refreshAndAccessTokensNeverPassForEachOther() throws Exception {
        RegistryTokens tokens = tokens(key("a"), "berth", "berth");
        String refresh = tokens.issueRefresh("alice", 7, null, "fingerprint");
        assertRefused(tokens, refresh, "not an access token");
        RegistryTokens.Refresh r = tokens.verifyRefresh(refresh);
        assertThat(r.userId()).isEqualTo(7);
        assertThat(r.subject()).isEqualTo("alice");
        assertThat(r.passwordFingerprint()).isEqualTo("fingerprint");
        assertThat(r.accessTokenId()).isNull();
        assertThat(tokens.verifyRefresh(tokens.issueRefresh("alice", 7, 12L, null)).accessTokenId()).isEqualTo(12L);

        String access = tokens.issue("alice", List.of()).token();
        assertThatThrownBy(() -> tokens.verifyRefresh(access)).hasMessage("not a refresh token");
        clock.set(NOW.plus(Duration.ofDays(30)).plus(RegistryTokens.LEEWAY));
        assertThatThrownBy(() -> tokens.verifyRefresh(refresh)).hasMessage("expired");
    }

    private void assertRefused(RegistryTokens tokens, String token, String reason) {
        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(RegistryTokens.InvalidToken.class).hasMessage(reason);
    }

    private RegistryTokens tokens(SigningKeyFile.Pair key, String service, String issuer) {
        return new RegistryTokens(new AuthProperties.Token(null, service, issuer, Duration.ofMinutes(5), Duration.ofDays(30), null),
                key, clock);
    }

    private SigningKeyFile.Pair key(String name) {
        return SigningKeyFile.loadOrCreate(dir.resolve("keys").resolve(name + ".pem"));
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
