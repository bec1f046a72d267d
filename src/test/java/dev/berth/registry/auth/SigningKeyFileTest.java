package dev.berth.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.berth.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token signing key file: generated with both halves, read back, and old files converted. */
class SigningKeyFileTest {

    private static final String PRIVATE_BEGIN = "-----BEGIN PRIVATE KEY-----\n";
    private static final String PRIVATE_END = "-----END PRIVATE KEY-----\n";
    private static final String PUBLIC_BEGIN = "-----BEGIN PUBLIC KEY-----\n";
    private static final String PUBLIC_END = "-----END PUBLIC KEY-----\n";

    @TempDir
    Path dir;

    @Test
    void theKeyIsGeneratedOnceAsAPemOfBothHalvesAndReadBack() throws Exception {
        Path file = dir.resolve("auth/token-signing-key.pem");
        SigningKeyFile.Pair first = SigningKeyFile.loadOrCreate(file);
        SigningKeyFile.Pair again = SigningKeyFile.loadOrCreate(file);

        assertThat(again.publicKey()).isEqualTo(first.publicKey());
        assertThat(again.privateKey()).isEqualTo(first.privateKey());
        String pem = Files.readString(file);
        assertThat(pem).startsWith(PRIVATE_BEGIN).contains(PRIVATE_END + PUBLIC_BEGIN).endsWith(PUBLIC_END);
        assertThat(publicBlockOf(file)).isEqualTo(first.publicKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertNoTemporaryFileIn(file.getParent(), file);
    }

    @Test
    void serversGeneratingTheKeyAtOnceAllEndUpWithTheSameOne() throws Exception {
        Path file = dir.resolve("shared/key.pem");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<SigningKeyFile.Pair>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit((Callable<SigningKeyFile.Pair>) () -> SigningKeyFile.loadOrCreate(file)));
            }
            for (Future<SigningKeyFile.Pair> r : results) {
                assertThat(r.get().publicKey()).isEqualTo(results.get(0).get().publicKey());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void thePublicKeyIsDerivedFromThePrivateKeyAlone() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        for (int i = 0; i < 50; i++) {
            KeyPair pair = generator.generateKeyPair();
            assertThat(SigningKeyFile.derivePublicKey((ECPrivateKey) pair.getPrivate())).isEqualTo(pair.getPublic());
        }
    }

    @Test
    void anOldKeyFileOfThePrivateHalfOnlyGetsItsPublicHalfAndItsTokensStillVerify() throws Exception {
        KeyPair old = p256();
        Path file = dir.resolve("auth/token-signing-key.pem");
        Files.createDirectories(file.getParent());
        String oldPem = PRIVATE_BEGIN + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(old.getPrivate().getEncoded())
                + "\n" + PRIVATE_END; // as Berth wrote it before
        Files.writeString(file, oldPem);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        SigningKeyFile.Pair oldPair = new SigningKeyFile.Pair((ECPrivateKey) old.getPrivate(), (ECPublicKey) old.getPublic());
        String issuedBefore = tokens(oldPair).issue("alice", List.of(Scope.catalog())).token();

        SigningKeyFile.Pair loaded = SigningKeyFile.loadOrCreate(file);

        assertThat(loaded.privateKey()).isEqualTo(old.getPrivate());
        assertThat(loaded.publicKey()).isEqualTo(old.getPublic());
        String pem = Files.readString(file);
        assertThat(pem).startsWith(oldPem).contains(PUBLIC_BEGIN).endsWith(PUBLIC_END);
        assertThat(publicBlockOf(file)).isEqualTo(old.getPublic());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertNoTemporaryFileIn(file.getParent(), file);

        RegistryTokens converted = tokens(loaded);
        assertThat(converted.keyId()).isEqualTo(tokens(oldPair).keyId());
        assertThat(converted.verify(issuedBefore).subject()).as("a token issued before the conversion").isEqualTo("alice");
        String issuedAfter = converted.issue("bob", List.of()).token();
        assertThat(SignedJWT.parse(issuedAfter).verify(new ECDSAVerifier((ECPublicKey) old.getPublic()))).isTrue();

        SigningKeyFile.loadOrCreate(file);
        assertThat(Files.readString(file)).as("converted once").isEqualTo(pem);
    }

    @Test
    void anOldKeyFileThatCannotBeRewrittenIsUsedAsItIs() throws Exception {
        Requirements.root(); // chattr +i needs CAP_LINUX_IMMUTABLE
        Path chattr = Requirements.executable("chattr", "e2fsprogs");
        KeyPair old = p256();
        Path keys = Files.createDirectories(dir.resolve("read-only"));
        Path file = keys.resolve("key.pem");
        String oldPem = PRIVATE_BEGIN + Base64.getMimeEncoder().encodeToString(old.getPrivate().getEncoded()) + "\n" + PRIVATE_END;
        Files.writeString(file, oldPem);
        run(chattr.toString(), "+i", keys.toString());
        try {
            SigningKeyFile.Pair loaded = SigningKeyFile.loadOrCreate(file);

            assertThat(loaded.publicKey()).isEqualTo(old.getPublic());
            assertThat(Files.readString(file)).isEqualTo(oldPem);
        } finally {
            run(chattr.toString(), "-i", keys.toString());
        }
    }

    @Test
    void aPublicHalfThatIsNotThePrivateKeysIsRefused() throws Exception {
        KeyPair one = p256();
        KeyPair other = p256();
        Path file = dir.resolve("mixed.pem");
        Files.writeString(file, PRIVATE_BEGIN + Base64.getMimeEncoder().encodeToString(one.getPrivate().getEncoded()) + "\n"
                + PRIVATE_END + PUBLIC_BEGIN + Base64.getMimeEncoder().encodeToString(other.getPublic().getEncoded()) + "\n" + PUBLIC_END);

        assertThatThrownBy(() -> SigningKeyFile.loadOrCreate(file)).hasMessageContaining("is not the private key's");
    }

    @Test
    void aKeyFileThatIsNoPkcs8KeyIsRefusedWithAHint() throws Exception {
        Path file = dir.resolve("bad.pem");
        Files.writeString(file, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        assertThatThrownBy(() -> SigningKeyFile.loadOrCreate(file)).hasMessageContaining("openssl pkcs8 -topk8");
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static ECPublicKey publicBlockOf(Path file) throws Exception {
        String pem = Files.readString(file);
        String base64 = pem.substring(pem.indexOf(PUBLIC_BEGIN) + PUBLIC_BEGIN.length(), pem.indexOf(PUBLIC_END));
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64)));
    }

    private static void assertNoTemporaryFileIn(Path dir, Path file) throws Exception {
        try (var entries = Files.list(dir)) {
            assertThat(entries).as("no temporary file left").containsExactly(file);
        }
    }

    private static RegistryTokens tokens(SigningKeyFile.Pair key) {
        return new RegistryTokens(new AuthProperties.Token(null, "berth", "berth", Duration.ofMinutes(5), Duration.ofDays(30), null),
                key, Clock.fixed(Instant.now(), ZoneOffset.UTC));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }
}
