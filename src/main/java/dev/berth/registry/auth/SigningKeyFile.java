package dev.berth.registry.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
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
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The EC P-256 key that signs bearer tokens, kept as a PKCS#8 PEM file. Generated on the first
 * start when the file is missing: written to a temporary file and hard-linked into place, which
 * fails when the file already exists, so servers sharing the directory all end up with the one key
 * that got there first.
 */
final class SigningKeyFile {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyFile.class);
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    /** The private key and the public key that goes with it. */
    record Pair(ECPrivateKey privateKey, ECPublicKey publicKey) {
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
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException("the token signing key " + file + " is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----);"
                    + " convert one with: openssl pkcs8 -topk8 -nocrypt -in key.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
        try {
            if (!(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof ECPrivateKey key)
                    || key.getParams().getCurve().getField().getFieldSize() != 256
                    || !key.getParams().getOrder().equals(p256().getOrder())) {
                throw new IllegalStateException("the token signing key " + file + " must be an EC P-256 key");
            }
            Pair pair = new Pair(key, publicKeyOf(key));
            selfCheck(pair);
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
        byte[] der;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            der = generator.generateKeyPair().getPrivate().getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
        String pem = BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n" + END + "\n";
        Path temp = Files.createTempFile(dir, ".token-signing-key-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(pem.getBytes(StandardCharsets.US_ASCII)));
                out.force(true);
            }
            // A link never replaces an existing file: of two servers starting at once, one wins.
            Files.createLink(file, temp);
            log.info("generated the token signing key {}", file);
        } catch (FileAlreadyExistsException e) {
            log.info("another server generated the token signing key {} first; using it", file);
        } finally {
            Files.deleteIfExists(temp);
        }
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

    /** Signs and verifies a few bytes: a public key computed wrongly would refuse every token. */
    private static void selfCheck(Pair pair) throws GeneralSecurityException {
        byte[] probe = "berth".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.privateKey());
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(pair.publicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new IllegalStateException("the token signing key's public half does not verify its signatures");
        }
    }

    /**
     * Q = d·G. A PKCS#8 file need not carry the public key, and the JDK offers no way to derive it,
     * so it is computed here (once per start, on the server's own key: timing leaks nothing).
     */
    static ECPublicKey publicKeyOf(ECPrivateKey key) throws GeneralSecurityException {
        ECParameterSpec spec = key.getParams();
        BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger a = spec.getCurve().getA();
        ECPoint q = ECPoint.POINT_INFINITY;
        BigInteger d = key.getS();
        for (int i = d.bitLength() - 1; i >= 0; i--) {
            q = add(q, q, p, a);
            if (d.testBit(i)) {
                q = add(q, spec.getGenerator(), p, a);
            }
        }
        return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(q, spec));
    }

    private static ECPoint add(ECPoint s, ECPoint t, BigInteger p, BigInteger a) {
        if (s.equals(ECPoint.POINT_INFINITY)) {
            return t;
        }
        if (t.equals(ECPoint.POINT_INFINITY)) {
            return s;
        }
        BigInteger sx = s.getAffineX();
        BigInteger sy = s.getAffineY();
        BigInteger tx = t.getAffineX();
        BigInteger ty = t.getAffineY();
        BigInteger lambda;
        if (sx.equals(tx)) {
            if (!sy.equals(ty) || sy.signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            lambda = sx.pow(2).multiply(BigInteger.valueOf(3)).add(a).multiply(sy.shiftLeft(1).modInverse(p)).mod(p);
        } else {
            lambda = ty.subtract(sy).multiply(tx.subtract(sx).modInverse(p)).mod(p);
        }
        BigInteger x = lambda.pow(2).subtract(sx).subtract(tx).mod(p);
        BigInteger y = lambda.multiply(sx.subtract(x)).subtract(sy).mod(p);
        return new ECPoint(x, y);
    }

    private static ECParameterSpec p256() throws GeneralSecurityException {
        java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        return parameters.getParameterSpec(ECParameterSpec.class);
    }
}
