package dev.berth.registry.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Set;
import javax.crypto.KeyAgreement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EC P-256 key pair that signs bearer tokens, kept as one PEM file of two blocks: the private
 * key as PKCS#8 ({@code PRIVATE KEY}) and the public key as X.509 ({@code PUBLIC KEY}), both read
 * by the JDK's {@link KeyFactory}. Generated on the first start when the file is missing: written
 * to a temporary file and hard-linked into place, which fails when the file already exists, so
 * servers sharing the directory all end up with the one key that got there first.
 *
 * <p>A file with the private block only (as Berth wrote it before, or as {@code openssl pkcs8}
 * writes one) gets its public block added on start: see {@link #derivePublicKey}.
 */
final class SigningKeyFile {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyFile.class);
    private static final Block PRIVATE = new Block("PRIVATE KEY");
    private static final Block PUBLIC = new Block("PUBLIC KEY");

    /** The private key and the public key that goes with it. */
    record Pair(ECPrivateKey privateKey, ECPublicKey publicKey) {
    }

    /** One {@code -----BEGIN label-----} block of a PEM file. */
    private record Block(String label) {

        String begin() {
            return "-----BEGIN " + label + "-----";
        }

        String end() {
            return "-----END " + label + "-----";
        }

        /** The DER bytes of this block in {@code pem}, or null when it has none. */
        byte[] in(String pem) {
            int begin = pem.indexOf(begin());
            int end = pem.indexOf(end());
            return begin < 0 || end < begin ? null : Base64.getMimeDecoder().decode(pem.substring(begin + begin().length(), end));
        }

        String of(byte[] der) {
            return begin() + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n" + end() + "\n";
        }
    }

    private SigningKeyFile() {
    }

    static Pair loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the token signing key " + file, e);
        }
    }

    static Pair read(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        byte[] privateDer = PRIVATE.in(pem);
        if (privateDer == null) {
            throw new IllegalStateException("the token signing key " + file + " is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----);"
                    + " convert one with: openssl pkcs8 -topk8 -nocrypt -in key.pem");
        }
        byte[] publicDer = PUBLIC.in(pem);
        try {
            KeyFactory keys = KeyFactory.getInstance("EC");
            if (!(keys.generatePrivate(new PKCS8EncodedKeySpec(privateDer)) instanceof ECPrivateKey key) || !isP256(key.getParams())) {
                throw new IllegalStateException("the token signing key " + file + " must be an EC P-256 key");
            }
            Pair pair;
            if (publicDer == null) {
                pair = new Pair(key, derivePublicKey(key));
                addPublicBlock(file, privateDer, pair.publicKey());
            } else if (keys.generatePublic(new X509EncodedKeySpec(publicDer)) instanceof ECPublicKey publicKey
                    && isP256(publicKey.getParams())) {
                pair = new Pair(key, publicKey);
            } else {
                throw new IllegalStateException("the public key in " + file + " must be an EC P-256 key");
            }
            if (!verifies(pair)) {
                throw new IllegalStateException("the public key in the token signing key " + file + " is not the private key's");
            }
            warnIfReadableByOthers(file);
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the token signing key " + file + " cannot be read as an EC P-256 key", e);
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
        Path temp = writeTemp(dir, PRIVATE.of(pair.getPrivate().getEncoded()) + PUBLIC.of(pair.getPublic().getEncoded()));
        try {
            // A link never replaces an existing file: of two servers starting at once, one wins.
            Files.createLink(file, temp);
            log.info("generated the token signing key {}", file);
        } catch (FileAlreadyExistsException e) {
            log.info("another server generated the token signing key {} first; using it", file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Rewrites a key file of the private block only with both blocks (the private one as it was),
     * replacing it atomically, so the derivation runs once. Servers converting the same file at
     * once write the same bytes. A file that cannot be replaced (a read-only mount) is used as it is.
     */
    private static void addPublicBlock(Path file, byte[] privateDer, ECPublicKey publicKey) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = writeTemp(dir, PRIVATE.of(privateDer) + PUBLIC.of(publicKey.getEncoded()));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
            log.info("added the public key to the token signing key {}", file);
        } catch (IOException e) {
            log.warn("cannot add the public key to the token signing key {} ({}); derived it from the private key for this start",
                    file, e.toString());
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    log.warn("cannot remove {}: {}", temp, e.toString());
                }
            }
        }
    }

    /** A new file of {@code pem} in {@code dir}, readable by its owner only, on disk. */
    private static Path writeTemp(Path dir, String pem) throws IOException {
        Path temp = Files.createTempFile(dir, ".token-signing-key-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.wrap(pem.getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        return temp;
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("the token signing key {} is readable by other users ({}); anyone who reads it can sign tokens",
                        file, PosixFilePermissions.toString(permissions));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    /** Whether the public key verifies what the private key signs. */
    private static boolean verifies(Pair pair) throws GeneralSecurityException {
        byte[] probe = "berth".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.privateKey());
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(pair.publicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }

    /**
     * Q = d·G for a private key alone. The JDK has no call for it, and Berth does no curve
     * arithmetic with the secret (the code before this did, with branches on d's bits): the one
     * multiplication by d is the JDK's ECDH, whose shared secret with the generator G as the peer
     * is the x coordinate of d·G. The y of Q is one of the two square roots of x³ + ax + b mod p
     * (an exponentiation of public values; P-256's p is 3 mod 4, so a root is the power (p+1)/4);
     * of the two, the one whose key verifies a signature made with d is Q's.
     */
    static ECPublicKey derivePublicKey(ECPrivateKey key) throws GeneralSecurityException {
        ECParameterSpec spec = key.getParams();
        KeyFactory keys = KeyFactory.getInstance("EC");
        KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
        ecdh.init(key);
        ecdh.doPhase(keys.generatePublic(new ECPublicKeySpec(spec.getGenerator(), spec)), true);
        BigInteger x = new BigInteger(1, ecdh.generateSecret());
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger ySquared = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
        BigInteger y = ySquared.modPow(p.add(BigInteger.ONE).shiftRight(2), p);
        if (!y.pow(2).mod(p).equals(ySquared)) {
            throw new GeneralSecurityException("the ECDH result is no point of the curve");
        }
        for (BigInteger candidate : new BigInteger[] {y, p.subtract(y)}) {
            ECPublicKey publicKey = (ECPublicKey) keys.generatePublic(new ECPublicKeySpec(new ECPoint(x, candidate), spec));
            if (verifies(new Pair(key, publicKey))) {
                return publicKey;
            }
        }
        throw new GeneralSecurityException("no public key verifies the private key's signatures");
    }

    private static boolean isP256(ECParameterSpec params) throws GeneralSecurityException {
        ECParameterSpec p256 = p256();
        return params.getCurve().equals(p256.getCurve()) && params.getOrder().equals(p256.getOrder())
                && params.getGenerator().equals(p256.getGenerator());
    }

    private static ECParameterSpec p256() throws GeneralSecurityException {
        java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }
}
