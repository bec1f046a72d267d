package dev.berth.registry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything an operator can set under {@code berth.*} (see config/application.yml).
 *
 * @param dataDir  where blobs, staged uploads and the embedded database live
 * @param uploads  upload session settings
 * @param manifests manifest settings
 * @param listing  page sizes of tag lists and the catalog
 * @param storage  where blobs are kept (the data directory or an S3 bucket) and the data directory's limits
 */
@ConfigurationProperties("berth")
public record RegistryProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Uploads uploads,
        @DefaultValue Manifests manifests,
        @DefaultValue Listing listing,
        Storage storage) {

    public RegistryProperties {
        // Not @DefaultValue: Boot cannot make a default of a record whose one component has none.
        storage = storage != null ? storage : new Storage(null, null, null);
    }

    /**
     * @param expireAfter   an upload untouched this long is cancelled and its staged bytes removed
     * @param purgeInterval how often stale uploads are looked for
     * @param minChunkLength sent as {@code OCI-Chunk-Min-Length} when above zero
     * @param minRate       a request body (blob or manifest) must arrive at least this fast, per second,
     * @param minRateWindow averaged over this long, or it is dropped and its bytes taken back
     */
    public record Uploads(
            @DefaultValue("24h") Duration expireAfter,
            @DefaultValue("10m") Duration purgeInterval,
            @DefaultValue("0B") DataSize minChunkLength,
            @DefaultValue("1KB") DataSize minRate,
            @DefaultValue("60s") Duration minRateWindow) {
    }

    /** @param maxSize larger manifests are refused with 413 */
    public record Manifests(@DefaultValue("4MB") DataSize maxSize) {
    }

    /**
     * @param defaultPageSize entries returned when the client gives no {@code n}
     * @param maxPageSize     the most entries one response holds
     */
    public record Listing(@DefaultValue("1000") int defaultPageSize, @DefaultValue("1000") int maxPageSize) {
    }

    /**
     * @param minFreeSpace upload bytes are refused (507) rather than leave less than this free on the
     *                     data directory's file system, so the database can always commit; null: the
     *                     smaller of 1 GiB and 5% of that file system
     * @param type         where blobs are kept: {@code filesystem} (under the data directory) or {@code s3}
     * @param s3           the bucket, for {@code type: s3}
     */
    public record Storage(DataSize minFreeSpace, Type type, S3 s3) {

        public Storage {
            type = type != null ? type : Type.FILESYSTEM;
            s3 = s3 != null ? s3 : new S3(null, null, null, null, null, null, false, false, null, null);
            // Bad combinations stop the start-up, with the one line ServeCommand prints.
            if (type == Type.S3 && (s3.bucket() == null || s3.bucket().isBlank())) {
                throw new IllegalArgumentException("berth.storage.type is s3, but berth.storage.s3.bucket is not set");
            }
            if (type == Type.FILESYSTEM && s3.redirect()) {
                throw new IllegalArgumentException("berth.storage.s3.redirect is true, but berth.storage.type is filesystem, not s3");
            }
            if (isSet(s3.accessKey()) != isSet(s3.secretKey())) {
                throw new IllegalArgumentException("berth.storage.s3.access-key and secret-key go together: set both, "
                        + "or neither for the AWS SDK's default credentials");
            }
            if (s3.partSize().toBytes() < 5L * 1024 * 1024) {
                throw new IllegalArgumentException("berth.storage.s3.part-size must be at least 5MB (S3's smallest part), not "
                        + s3.partSize());
            }
        }

        private static boolean isSet(String value) {
            return value != null && !value.isEmpty();
        }

        public enum Type { FILESYSTEM, S3 }

        /**
         * An S3-compatible bucket (see config/application.yml).
         *
         * @param endpoint        the S3 API's URL; unset: AWS's endpoint of the region
         * @param region          the region requests are signed for
         * @param bucket          the bucket, which must exist
         * @param prefix          keys start with it (blobs under {@code <prefix>blobs/})
         * @param accessKey       with {@code secretKey}; both unset: the SDK's default credential chain
         * @param secretKey       see {@code accessKey}
         * @param pathStyleAccess {@code http://host/bucket/key} rather than {@code http://bucket.host/key}
         * @param redirect        blob GETs answer 307 to a presigned URL of the object
         * @param redirectExpiry  how long such a URL is valid
         * @param partSize        the multipart-upload part size (at least 5MB; S3 allows 10,000 parts)
         */
        public record S3(URI endpoint, String region, String bucket, String prefix, String accessKey, String secretKey,
                boolean pathStyleAccess, boolean redirect, Duration redirectExpiry, DataSize partSize) {

            public S3 {
                region = region != null && !region.isBlank() ? region : "us-east-1";
                prefix = prefix != null ? prefix : "";
                redirectExpiry = redirectExpiry != null ? redirectExpiry : Duration.ofMinutes(5);
                partSize = partSize != null ? partSize : DataSize.ofMegabytes(8);
            }
        }
    }
}
