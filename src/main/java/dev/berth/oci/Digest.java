package dev.berth.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:0123…}. Only sha256 and sha512 are accepted: any other
 * algorithm, or an encoded part of the wrong length or alphabet, is {@code DIGEST_INVALID}. The
 * encoded part is lower-case hex, so a digest is also safe to use as a file name.
 */
public final class Digest implements Comparable<Digest> {

    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
    private static final Pattern LOWER_HEX = Pattern.compile("[a-f0-9]+");

    private final Algorithm algorithm;
    private final String hex;

    private Digest(Algorithm algorithm, String hex) {
        this.algorithm = algorithm;
        this.hex = hex;
    }

    /** The hash algorithms Berth stores blobs under. */
    public enum Algorithm {
        SHA256("sha256", "SHA-256", 64),
        SHA512("sha512", "SHA-512", 128);

        private final String prefix;
        private final String jcaName;
        private final int hexLength;

        Algorithm(String prefix, String jcaName, int hexLength) {
            this.prefix = prefix;
            this.jcaName = jcaName;
            this.hexLength = hexLength;
        }

        public String prefix() {
            return prefix;
        }

        public MessageDigest newMessageDigest() {
            try {
                return MessageDigest.getInstance(jcaName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(jcaName + " is missing from this JVM", e);
            }
        }

        public static Algorithm of(String prefix) {
            for (Algorithm a : values()) {
                if (a.prefix.equals(prefix)) {
                    return a;
                }
            }
            throw new OciException(OciErrorCode.DIGEST_INVALID, "unsupported digest algorithm: " + prefix);
        }
    }

    /** Parses a digest, failing with {@code DIGEST_INVALID} on anything that is not one. */
    public static Digest of(String text) {
        if (text == null || text.isEmpty()) {
            throw new OciException(OciErrorCode.DIGEST_INVALID, "a digest is required");
        }
        if (text.length() > 200 || !GRAMMAR.matcher(text).matches()) {
            throw new OciException(OciErrorCode.DIGEST_INVALID, "invalid digest: " + abbreviate(text));
        }
        int colon = text.indexOf(':');
        Algorithm algorithm = Algorithm.of(text.substring(0, colon));
        String encoded = text.substring(colon + 1);
        if (encoded.length() != algorithm.hexLength || !LOWER_HEX.matcher(encoded).matches()) {
            throw new OciException(OciErrorCode.DIGEST_INVALID,
                    "invalid " + algorithm.prefix + " digest: expected " + algorithm.hexLength + " lower-case hex characters");
        }
        return new Digest(algorithm, encoded);
    }

    /** True when {@code text} has the shape of a digest (it may still name an unsupported algorithm). */
    public static boolean looksLikeDigest(String text) {
        return text != null && text.indexOf(':') > 0 && GRAMMAR.matcher(text).matches();
    }

    public static Digest fromHash(Algorithm algorithm, byte[] hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    public static Digest sha256(byte[] content) {
        return fromHash(Algorithm.SHA256, Algorithm.SHA256.newMessageDigest().digest(content));
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** The encoded (hex) part, without the algorithm. */
    public String hex() {
        return hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && d.algorithm == algorithm && d.hex.equals(hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return algorithm.prefix + ":" + hex;
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
