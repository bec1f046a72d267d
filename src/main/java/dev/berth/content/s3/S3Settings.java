package dev.berth.content.s3;

import java.net.URI;
import java.time.Duration;

/**
 * Where and how an {@link S3ContentStore} reaches its bucket.
 *
 * @param endpoint        the S3 API's URL; null for AWS's own endpoint of the region
 * @param region          the region requests are signed for
 * @param bucket          the bucket, which must exist
 * @param prefix          keys start with it (empty: the bucket's root); blobs go under {@code <prefix>blobs/}
 * @param accessKey       with {@code secretKey}: static credentials; both null: the SDK's default chain
 *                        (environment, system properties, profile files, instance and container roles)
 * @param secretKey       see {@code accessKey}
 * @param pathStyleAccess {@code http://host/bucket/key} instead of {@code http://bucket.host/key}
 * @param redirect        blob GETs answer 307 to a presigned URL instead of streaming through the server
 * @param redirectExpiry  how long such a URL is valid
 * @param partSize        the size of each multipart-upload part but the last (at least 5 MiB, S3's minimum)
 */
public record S3Settings(URI endpoint, String region, String bucket, String prefix, String accessKey, String secretKey,
        boolean pathStyleAccess, boolean redirect, Duration redirectExpiry, long partSize) {

    /** S3's smallest part but the last. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** The parts of uploads by default: 10,000 of them (S3's most) make a blob of 80 GiB. */
    public static final long DEFAULT_PART_SIZE = 8L * 1024 * 1024;

    public S3Settings {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("no bucket is set");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("no region is set");
        }
        if ((accessKey == null || accessKey.isEmpty()) != (secretKey == null || secretKey.isEmpty())) {
            throw new IllegalArgumentException("access-key and secret-key go together: set both or neither");
        }
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("parts must have at least " + MIN_PART_SIZE + " bytes, not " + partSize);
        }
        if (redirectExpiry == null || redirectExpiry.isNegative() || redirectExpiry.isZero()) {
            throw new IllegalArgumentException("the redirect expiry must be positive");
        }
        prefix = normalize(prefix);
    }

    /** "" or the prefix with one trailing slash and none leading. */
    private static String normalize(String prefix) {
        if (prefix == null) {
            return "";
        }
        String trimmed = prefix.replaceAll("^/+", "").replaceAll("/+$", "");
        if (trimmed.contains("//") || trimmed.contains("..")) {
            throw new IllegalArgumentException("not a usable key prefix: " + prefix);
        }
        return trimmed.isEmpty() ? "" : trimmed + "/";
    }
}
